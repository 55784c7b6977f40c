using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Runs.Change;

/// <summary>
/// The Change section of a run: the schema diff of the target now against after the run, and the mongosh commands of its up and its
/// down, which a signed-in person may download as a script (audited, as any copy taken out of the portal).
/// </summary>
public sealed class RunChangeService(
    IRunStore runs,
    MigrationRegistry registry,
    MigrationPlanner planner,
    TargetRegistry targets,
    BatchOptions batching,
    ActionAuthorizer authorizer,
    IAuditLog audit,
    ILogger<RunChangeService> logger)
{
    /// <summary>
    /// Reads the target's catalog once (while the run has not started: the run keeps no copy of it), folds the run's steps over it,
    /// and renders the commands. An adoption changes nothing and has no commands.
    /// </summary>
    public async Task<RunChange> ShowAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        if (run.Kind == RunKind.Baseline) return new RunChange(CatalogSource.Expected, null, AdoptionChangesNothing, []);
        if (run.Fix is not null) return new RunChange(CatalogSource.Expected, null, FixChangesNoSchema, []);
        var started = run.StartedAt is not null || RunStateMachine.IsFinished(run.State);
        var commands = new[] { Commands(run, run.Direction), Commands(run, run.Direction == Direction.Up ? Direction.Down : Direction.Up) };
        var plan = commands[0].Plan;
        if (plan is null) return new RunChange(CatalogSource.Expected, null, commands[0].Problem, commands);
        try
        {
            var before = started ? registry.ExpectedCatalogAt(run.From) : await targets.Get(run.Target).ReadCatalogAsync(cancellationToken);
            var after = plan.Migrations.SelectMany(m => m.Steps).Aggregate(before, (catalog, step) => step.Step.Apply(catalog)).WithVersion(run.To);
            return new RunChange(started ? CatalogSource.Expected : CatalogSource.Live, CatalogChange.Between(before, after), null, commands);
        }
        catch (MigrationEngineException e)
        {
            // The target unreachable, or a step that cannot apply to what the target holds: the commands still show.
            return new RunChange(started ? CatalogSource.Expected : CatalogSource.Live, null, e.Message, commands);
        }
    }

    /// <summary>The mongosh script of the run's up or down, for a person signed in now; the download is audited.</summary>
    /// <returns>Null when there is no such run.</returns>
    /// <exception cref="ActionRefusedException">The person is no longer signed in or enabled, or the run sends no commands.</exception>
    public async Task<MongoshScriptFile?> ExportAsync(Caller caller, string runId, Direction direction, CancellationToken cancellationToken)
    {
        var attempted = $"download the mongosh script of the {direction.Name()} of run {runId}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        if (await runs.FindAsync(runId, cancellationToken) is not { } run) return null;
        if (run.Kind == RunKind.Baseline) throw new ActionRefusedException($"Run {run.Id} is an adoption: {AdoptionChangesNothing}");
        if (run.Fix is not null) throw new ActionRefusedException($"Run {run.Id} is a data fix: {FixChangesNoSchema}");
        var commands = Commands(run, direction);
        if (commands.Plan is not { } plan) throw new ActionRefusedException($"The {direction.Name()} of run {run.Id} cannot be shown: {commands.Problem}");
        var content = MongoshScript.For(plan, batching, [$"BotCore Migration Portal: run {run.Id} on {run.Target} ({run.Tier}), {commands.Title}."]);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.ScriptDownloaded,
            $"downloaded the mongosh script of the {direction.Name()} {plan.From} → {plan.To}", run.Target, run.Id), cancellationToken);
        logger.LogInformation("{User} downloaded the mongosh script of the {Direction} of run {RunId}", actor.Name, direction.Name(), run.Id);
        return new MongoshScriptFile($"{run.Id}-{direction.Name()}-{plan.From}-to-{plan.To}.js", content);
    }

    private const string FixChangesNoSchema =
        "a data fix changes documents, never the schema: its filter, its writes and its batching are shown as mongosh on the Data fixes page (fix plan on the command line).";

    private const string AdoptionChangesNothing =
        "an adoption changes no collection, index or document: it writes the version and a baselined changelog only.";

    /// <summary>The run's steps (its own direction) or those that undo it, planned on paper as the migration page plans them.</summary>
    private RunCommands Commands(MigrationRun run, Direction direction)
    {
        var isThisRun = direction == run.Direction;
        try
        {
            var plan = isThisRun ? planner.Plan(run.From, run.To) : planner.Plan(run.To, run.From);
            return new RunCommands(direction, isThisRun, plan, MongoshScript.Steps(plan, batching), null);
        }
        catch (MigrationEngineException e)
        {
            return new RunCommands(direction, isThisRun, null, [], e.Message);
        }
    }
}
