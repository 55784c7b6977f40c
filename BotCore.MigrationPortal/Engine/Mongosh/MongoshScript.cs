using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Planning;

namespace BotCore.MigrationPortal.Engine.Mongosh;

/// <summary>One step of a plan with the mongosh statements it sends, labelled as the run log labels it (<c>1.3.0 up [2/6]</c>).</summary>
public sealed record MongoshStep(SchemaVersion Version, Direction Direction, int Number, int Of, string Description, MongoshStatements Statements)
{
    public string Label => $"{Version} {Direction.Name()} [{Number}/{Of}]";
}

/// <summary>
/// The commands of a plan as one mongosh script, in the order the steps run: what a DBA reads before approving, and may keep. It is
/// made from each step's own <see cref="Steps.IMigrationStep.Mongosh"/>, so it shows what the steps send, not a second copy of them.
/// </summary>
public static class MongoshScript
{
    public static IReadOnlyList<MongoshStep> Steps(MigrationPlan plan, BatchOptions batching) =>
        plan.Migrations.SelectMany(migration => migration.Steps.Select(step =>
            new MongoshStep(migration.Version, migration.Direction, step.Number, migration.Steps.Count, step.Step.Description, step.Step.Mongosh(batching))))
        .ToList();

    /// <param name="heading">What the script is for (the run, its target), as the first comment lines.</param>
    public static string For(MigrationPlan plan, BatchOptions batching, IEnumerable<string> heading)
    {
        var steps = Steps(plan, batching);
        var lines = heading.Select(MongoshComment.Line).ToList();
        lines.Add(MongoshComment.Line($"{plan.From} → {plan.To} ({plan.Direction.Name()}): the commands the steps send, in the order they run."));
        lines.Add(MongoshComment.Line("For review. The portal runs these steps itself, under the target's lease, with checkpoints, validation, the version in " +
            "system_config and a migration_changelog entry per migration, and rolls back on failure: running this script by hand does none of that."));
        if (steps.Any(step => step.Statements.UsesBatches))
        {
            lines.Add("");
            lines.AddRange(MongoshBatches.Helper);
        }
        foreach (var migration in plan.Migrations)
        {
            lines.Add("");
            lines.Add(MongoshComment.Line($"{migration.Version} {migration.Direction.Name()}: {migration.Migration.Description}"));
            foreach (var step in steps.Where(s => s.Version == migration.Version))
            {
                lines.Add(MongoshComment.Line($"[{step.Number}/{step.Of}] {step.Description}"));
                lines.AddRange(step.Statements.Lines);
            }
        }
        return string.Join('\n', lines) + "\n";
    }
}
