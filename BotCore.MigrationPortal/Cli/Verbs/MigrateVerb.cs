using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary><c>up</c> and <c>down</c>: plan from the target's applied version, run under its lease, validate.</summary>
public sealed class MigrateVerb(
    Direction direction,
    MigrationRegistry registry,
    MigrationPlanner planner,
    MigrationRunner runner,
    TargetRegistry targets,
    BatchOptions batching,
    TimeProvider time,
    CliConsole console) : ICliVerb
{
    public string Name => direction.Name();

    public string Usage => direction == Direction.Up
        ? "up --target T [--to V] [--batch-size N] [--pause-ms N] [--confirm-production]"
        : "down --target T --to V [--batch-size N] [--pause-ms N] [--confirm-production]";

    public string Summary => direction == Direction.Up
        ? "applies the pending migrations up to V (default: the last released one; drafts only when named), then validates the catalog"
        : "undoes the migrations above V (--to 0.0.0 removes all that 1.0.0 created), then validates the catalog";

    public IReadOnlyCollection<string> ValueOptions => ["target", "to", "batch-size", "pause-ms"];
    public IReadOnlyCollection<string> FlagOptions => ["confirm-production"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target", Name));
        var to = direction == Direction.Up ? arguments.Version("to") ?? registry.LatestReleased : SchemaVersion.Parse(arguments.Required("to", Name));
        var options = new BatchOptions(arguments.Integer("batch-size") ?? batching.BatchSize, arguments.Integer("pause-ms") ?? batching.PauseMilliseconds).Validated();
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = planner.Plan(history.Applied, to, history);
        if (direction == Direction.Up && arguments.Value("to") is null && registry.Migrations.FirstOrDefault(m => m.IsDraft) is { } draft)
        {
            console.Out.WriteLine($"Stopping at {to}, the last released version: {draft.Version} and later are drafts. Apply one with --to {draft.Version}.");
        }
        if (!plan.IsEmpty && plan.Direction != direction)
        {
            var other = direction == Direction.Up ? "down" : "up";
            throw new BadInputException($"Target '{target.Name}' is at {history.Applied}; to reach {to} use '{other} --target {target.Name} --to {to}'.");
        }
        if (plan.IsEmpty)
        {
            console.Out.WriteLine($"Nothing to do: {target.Name} is already at {to}.");
            return ExitCodes.Success;
        }
        if (target.Tier == TargetTier.Production && !arguments.Flag("confirm-production"))
        {
            throw new BadInputException(
                $"Target '{target.Name}' is a Production target: add --confirm-production to run '{Name}' there. In the portal, runs on Production go through approval.");
        }

        var drift = DriftReport.Of(registry, await target.ReadCatalogAsync(cancellationToken));
        foreach (var difference in drift.Blocking)
        {
            console.Error.WriteLine($"warning: {target.Name} has drifted before the run: {difference.Describe()}");
        }

        PlanRendering.WriteText(plan, console.Out);
        console.Out.WriteLine();
        var result = await runner.RunAsync(target, plan, new RunRequest(CliIdentity.NewRunId(time), CliIdentity.User, options),
            new ConsoleRunProgress(console.Out), cancellationToken);
        if (!result.Succeeded)
        {
            console.Error.WriteLine(result.Outcome == RunOutcome.RolledBack
                ? $"{Name} failed and was rolled back; {target.Name} is at {result.FinalVersion}: {result.Error}"
                : $"{Name} failed: {result.Error}. MANUAL INTERVENTION REQUIRED: check {target.Name} with 'drift --target {target.Name}'.");
            return ExitCodes.Failure;
        }

        var validation = CatalogValidation.PerCollection(registry, registry.ExpectedCatalogAt(to), await target.ReadCatalogAsync(cancellationToken));
        console.Out.WriteLine($"Post-validation against the expected catalog of {to}:");
        foreach (var collection in validation)
        {
            console.Out.WriteLine($"  {(collection.Passed ? "ok  " : "FAIL")} {collection.Collection}: {collection.Summary}");
        }
        var passed = validation.All(v => v.Passed);
        console.Out.WriteLine(passed ? $"{target.Name} is at {to}." : $"{target.Name} is at {to}, but post-validation failed.");
        return passed ? ExitCodes.Success : ExitCodes.Failure;
    }
}
