using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// <c>up</c> and <c>down</c>: plan from the target's applied version, run under its lease and validate as a portal run does (the
/// same validation, rolled back when it fails unless the target's <see cref="TargetOptions.RollBackOnFailedValidation"/> is off). On Staging
/// and Production it first passes <see cref="CliGates"/>; it is recorded as a run of the portal (<see cref="CliRuns"/>).
/// </summary>
public sealed class MigrateVerb(
    Direction direction,
    MigrationRegistry registry,
    MigrationPlanner planner,
    MigrationRunner runner,
    PostRunValidator validator,
    TargetRegistry targets,
    BatchOptions batching,
    CliPortal portal,
    CliProgress progress,
    TimeProvider time,
    CliConsole console) : ICliVerb
{
    public string Name => direction.Name();

    public string Usage => direction == Direction.Up
        ? "up --target T [--to V] [--batch-size N] [--pause-ms N] [--confirm-production [--release-note \"...\"]] [--skip-backup --reason \"...\"]"
        : "down --target T --to V [--batch-size N] [--pause-ms N] [--confirm-production] [--skip-backup --reason \"...\"]";

    public string Summary => direction == Direction.Up
        ? "applies the pending migrations up to V (default: the last released one; drafts only when named), then validates; rolled back if that fails. " + GatesSummary
        : "undoes the migrations above V (--to 0.0.0 removes all that 1.0.0 created), then validates; rolled back if that fails. " + GatesSummary;

    private const string GatesSummary = "On Staging and Production it first runs the blocking pre-checks and takes and verifies a backup (--skip-backup needs --reason); " +
        "the run is in the portal's run list and audit log";

    public IReadOnlyCollection<string> ValueOptions => ["target", "to", "batch-size", "pause-ms", "release-note", "reason"];
    public IReadOnlyCollection<string> FlagOptions => ["confirm-production", "skip-backup"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Get(arguments.Required("target"));
        var to = direction == Direction.Up ? arguments.Version("to") ?? registry.LatestReleased : SchemaVersion.Parse(arguments.Required("to"));
        var options = new BatchOptions(arguments.Integer("batch-size") ?? batching.BatchSize, arguments.Integer("pause-ms") ?? batching.PauseMilliseconds).Validated();
        var history = await TargetReading.ReadAdoptedAsync(target, cancellationToken);
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
        if (TargetNameConfirmation.RequiredFor(target.Tier) && !arguments.Flag("confirm-production"))
        {
            throw new BadInputException(
                $"Target '{target.Name}' is a Production target: add --confirm-production to run '{Name}' there. In the portal, runs on Production go through approval.");
        }

        var appliedBy = CliIdentity.User;
        var drafts = DraftRule.Applied(registry, plan.Direction, plan.Migrations.Select(m => m.Version));
        if (DraftRule.NeedsRelease(target.Tier, drafts))
        {
            var named = string.Join(", ", drafts);
            var note = arguments.Value("release-note") is { } written
                ? FreeText.Reason(written, "releasing a draft for Production")
                : throw new BadInputException($"{named} is a draft (the spec marks it Pending): on Production target '{target.Name}' add " +
                    "--release-note \"why it may run on Production now\"; it is kept in the target's changelog.");
            // The changelog is where the command line leaves its record: who ran it, and the release in their words.
            appliedBy = $"{CliIdentity.User}, releasing draft {named}: {note}";
            console.Out.WriteLine($"Draft {named} released for {target.Name}: {note}");
        }

        var gated = CliGates.Apply(target.Tier);
        if (arguments.Value("reason") is not null && !arguments.Flag("skip-backup")) throw new BadInputException("--reason goes with --skip-backup: it says why no backup is taken.");
        if (arguments.Flag("skip-backup") && !gated)
        {
            throw new BadInputException($"--skip-backup is for Staging and Production targets; {target.Name} is a {target.Tier} target, where '{Name}' takes no backup.");
        }
        var runs = await portal.OpenAsync<CliRuns>(cancellationToken);
        await runs.RequireNoOpenRunAsync(target, cancellationToken);
        var runId = CliIdentity.NewRunId(time);
        var passed = new GatesPassed($"no gates on a {target.Tier} target", []);
        if (gated)
        {
            var gates = await portal.OpenAsync<CliGates>(cancellationToken);
            var skipReason = arguments.Flag("skip-backup") ? await gates.SkipReasonAsync(target.Name, arguments.Value("reason"), cancellationToken) : null;
            passed = await gates.PassAsync(target, plan, runId, skipReason, cancellationToken);
        }
        else if (CliGates.HasContract(plan))
        {
            passed = await (await portal.OpenAsync<CliGates>(cancellationToken)).PassContractGatesAsync(target, plan, runId, cancellationToken);
        }

        var drift = DriftReport.Of(registry, await target.ReadCatalogAsync(cancellationToken));
        foreach (var difference in drift.Blocking)
        {
            console.Error.WriteLine($"warning: {target.Name} has drifted before the run: {difference.Describe()}");
        }

        PlanRendering.WriteText(plan, console.Out);
        var rollBack = targets.Describe(target.Name).RollBackOnFailedValidation;
        console.Out.WriteLine(rollBack
            ? $"If the validation fails, the run is rolled back at once (RollBackOnFailedValidation is on for {target.Name})."
            : $"If the validation fails, its changes are left in place (RollBackOnFailedValidation is off for {target.Name}).");
        console.Out.WriteLine();
        var validation = await validator.PrepareAsync(target, plan, cancellationToken);
        var run = await runs.StartAsync(runId, target, plan, passed, rollBack, cancellationToken);
        console.Out.WriteLine($"Recorded as run {run.Id} in the portal's run list.");
        RunResult result;
        var recorder = runs.Recorder(run.Id);
        try
        {
            await using (recorder)
            {
                result = await progress.RunAsync(false, shown => runner.RunAsync(target, plan, new RunRequest(run.Id, appliedBy, options)
                {
                    Validation = validation,
                    RollBackOnFailedValidation = rollBack,
                }, new RunProgressTee(shown, recorder), cancellationToken));
            }
        }
        catch (Exception e)
        {
            // The run must not stay open in the run list when the engine stopped outside its own outcomes (the lease, the connection).
            await runs.FinishAsync(run.Id, null, $"stopped outside the engine: {e.Message}", null, CancellationToken.None);
            throw;
        }
        await runs.FinishAsync(run.Id, result.Outcome, result.Error, result.FinalVersion, CancellationToken.None);
        switch (result.Outcome)
        {
            case RunOutcome.Succeeded:
                console.Out.WriteLine($"{target.Name} is at {to}; its validation passed.");
                return ExitCodes.Success;
            case RunOutcome.RolledBack:
                console.Error.WriteLine($"{Name} failed and was rolled back; {target.Name} is at {result.FinalVersion}: {result.Error}");
                return ExitCodes.Failure;
            case RunOutcome.ValidationFailed:
                console.Error.WriteLine($"{result.Error}. {Name} was not rolled back (RollBackOnFailedValidation is off): {target.Name} is at {to} with its changes " +
                    $"in place; take it back with '{(direction == Direction.Up ? "down" : "up")} --target {target.Name} --to {plan.From}' or repair it by hand.");
                return ExitCodes.Failure;
            default:
                console.Error.WriteLine($"{Name} failed: {result.Error}. MANUAL INTERVENTION REQUIRED: check {target.Name} with 'drift --target {target.Name}'.");
                return ExitCodes.Failure;
        }
    }
}
