using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// What a rollback run would do, shown before it is created: where it takes the target, the steps it undoes in order, the data those
/// steps destroy for good, and the checklist the run gets.
/// </summary>
/// <param name="OfRun">The run being rolled back, or null for the target's applied version.</param>
/// <param name="Choices">The versions the target can be taken back to, nearest first.</param>
public sealed record RollbackPreview(
    string Target,
    TargetTier Tier,
    string? OfRun,
    SchemaVersion From,
    SchemaVersion To,
    IReadOnlyList<SchemaVersion> Choices,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> DataAtRisk,
    IReadOnlyList<string> Checklist)
{
    public static RollbackPreview Of(IMigrationTarget target, string? ofRun, MigrationPlan plan, IReadOnlyList<SchemaVersion> choices)
    {
        var steps = plan.Migrations.SelectMany(m => m.Steps.Select(s => (m.Version, s.Step))).ToList();
        return new RollbackPreview(target.Name, target.Tier, ofRun, plan.From, plan.To, choices,
            steps.Select(s => $"{s.Version} down: {s.Step.Description}").ToList(),
            steps.Where(s => s.Step.DataAtRisk is not null).Select(s => $"{s.Step.DataAtRisk} ({s.Version} down)").ToList(),
            ChecklistTemplate.For(RunKind.Rollback).Select(i => i.Text).ToList());
    }
}
