using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary><c>fix list</c>: the data fixes of this build; with <c>--target</c>, where each stands in that target's fix journal.</summary>
public sealed class FixListVerb(FixOverview overview, TargetRegistry targets, CliConsole console) : ICliVerb
{
    public string Name => "fix list";
    public string Usage => "fix list [--target T] [--json]";
    public string Summary => "the data fixes in this build (fixes/): id, checksum, collection, description; with --target, each one's state in that target's fix_journal";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var journal = arguments.Value("target") is { } name ? await overview.ReadAsync(targets.Describe(name), cancellationToken) : null;
        if (journal?.Problem is { } problem) throw new MigrationEngineException(problem);
        if (arguments.Flag("json"))
        {
            console.Out.WriteLine(new BsonArray(overview.Fixes.Select(f => FixText.ToBson(f, journal?.StatusOf(f.Id)))).ToJson(CatalogJson.Relaxed));
            return ExitCodes.Success;
        }
        console.Out.WriteLine($"{"ID",-40} {"CHECKSUM",-12} {"COLLECTION",-16} DESCRIPTION");
        foreach (var fix in overview.Fixes)
        {
            console.Out.WriteLine($"{fix.Id,-40} {fix.ShortChecksum,-12} {fix.Collection,-16} {fix.Description}");
            if (journal?.StatusOf(fix.Id) is { } status) console.Out.WriteLine($"    on {journal.Target.Name}: {status.Describe()}");
        }
        return ExitCodes.Success;
    }
}

/// <summary>
/// <c>fix plan</c>: what a fix would do on a target: the documents it would change now (its filter and idempotency rule, counted there),
/// its state in the target's journal, and the commands it sends, as mongosh, with the batching.
/// </summary>
public sealed class FixPlanVerb(FixRegistry fixes, FixOverview overview, TargetRegistry targets, BatchOptions batching, CliConsole console) : ICliVerb
{
    public string Name => "fix plan";
    public string Usage => "fix plan <id> --target T [--undo] [--batch-size N] [--pause-ms N] [--json]";
    public string Summary => "what a data fix (or with --undo its undo) would do on a target: documents to change, its fix_journal state, its filter, update and batching as mongosh";
    public IReadOnlyCollection<string> Arguments => ["id"];
    public IReadOnlyCollection<string> ValueOptions => ["target", "batch-size", "pause-ms"];
    public IReadOnlyCollection<string> FlagOptions => ["undo", "json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var fix = fixes.Get(arguments.Required("id"));
        var target = targets.Get(arguments.Required("target"));
        var undo = arguments.Flag("undo");
        var options = FixText.Batching(arguments, batching);
        var journal = await overview.ReadAsync(targets.Describe(target.Name), cancellationToken);
        if (journal.Problem is { } problem) throw new MigrationEngineException(problem);
        var status = journal.StatusOf(fix.Id)!;
        var documents = undo ? await target.CountFixUndoRecordsAsync(fix.Id, cancellationToken) : await target.CountNeedingFixAsync(fix.Definition, cancellationToken);
        var mongosh = (undo ? (Engine.Steps.IMigrationStep)new FixUndoStep(fix) : new FixStep(fix, "<run>")).Mongosh(options);
        if (arguments.Flag("json"))
        {
            var plan = FixText.ToBson(fix, status);
            plan["target"] = target.Name;
            plan["undo"] = undo;
            plan[undo ? "documents_recorded" : "documents_needing_fix"] = documents;
            plan["batching"] = new BsonDocument { { "batch_size", options.BatchSize }, { "pause_ms", options.PauseMilliseconds } };
            plan["mongosh"] = new BsonArray(mongosh.Lines);
            console.Out.WriteLine(plan.ToJson(CatalogJson.Relaxed));
            return ExitCodes.Success;
        }
        console.Out.WriteLine($"{(undo ? "Undo of fix" : "Fix")} {fix.Id} ({fix.ShortChecksum}) on {target.Name} ({target.Tier}): {fix.Description}");
        console.Out.WriteLine($"  journal: {status.Describe()}");
        console.Out.WriteLine(undo
            ? $"  {documents:N0} documents of {fix.Collection} recorded in fix_undo: the undo restores them where they still hold what the fix set."
            : $"  {documents:N0} documents of {fix.Collection} need the fix now; the schema version does not change.");
        console.Out.WriteLine();
        console.Out.WriteLine(mongosh.Text);
        return ExitCodes.Success;
    }
}

/// <summary>
/// <c>fix run</c>: applies a data fix (or its undo) as <c>up</c> applies migrations: on Staging and Production it first passes
/// <see cref="CliGates"/> (the blocking pre-checks, a verified backup or a written reason to go without), on Production it needs
/// <c>--confirm-production</c>; it runs under the target's lease through <see cref="FixRunner"/> (batches, journal, validation) and is
/// recorded as a run of the portal (<see cref="CliRuns"/>).
/// </summary>
public sealed class FixRunVerb(FixRegistry fixes, FixRunner runner, TargetRegistry targets, BatchOptions batching, CliPortal portal, CliProgress progress,
    TimeProvider time, CliConsole console) : ICliVerb
{
    public string Name => "fix run";
    public string Usage => "fix run <id> --target T [--undo] [--batch-size N] [--pause-ms N] [--confirm-production] [--skip-backup --reason \"...\"]";
    public string Summary => "applies a data fix (with --undo, restores what it changed) in batches, records it in the target's fix_journal and validates it " +
        "(its idempotency rule then matches 0 documents); the schema version never changes. On Staging and Production it first runs the blocking " +
        "pre-checks and takes and verifies a backup (--skip-backup needs --reason); the run is in the portal's run list and audit log";
    public IReadOnlyCollection<string> Arguments => ["id"];
    public IReadOnlyCollection<string> ValueOptions => ["target", "batch-size", "pause-ms", "reason"];
    public IReadOnlyCollection<string> FlagOptions => ["undo", "confirm-production", "skip-backup"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var fix = fixes.Get(arguments.Required("id"));
        var target = targets.Get(arguments.Required("target"));
        var undo = arguments.Flag("undo");
        var options = FixText.Batching(arguments, batching);
        if (TargetNameConfirmation.RequiredFor(target.Tier) && !arguments.Flag("confirm-production"))
        {
            throw new BadInputException(
                $"Target '{target.Name}' is a Production target: add --confirm-production to run '{Name}' there. In the portal, fix runs on Production go through approval.");
        }
        var gated = CliGates.Apply(target.Tier);
        if (arguments.Value("reason") is not null && !arguments.Flag("skip-backup")) throw new BadInputException("--reason goes with --skip-backup: it says why no backup is taken.");
        if (arguments.Flag("skip-backup") && !gated)
        {
            throw new BadInputException($"--skip-backup is for Staging and Production targets; {target.Name} is a {target.Tier} target, where '{Name}' takes no backup.");
        }
        var at = (await target.ReadHistoryAsync(cancellationToken)).Applied;
        var runs = await portal.OpenAsync<CliRuns>(cancellationToken);
        await runs.RequireNoOpenRunAsync(target, cancellationToken);
        var runId = CliIdentity.NewRunId(time);
        var passed = new GatesPassed($"no gates on a {target.Tier} target", []);
        if (gated)
        {
            var gates = await portal.OpenAsync<CliGates>(cancellationToken);
            var skipReason = arguments.Flag("skip-backup") ? await gates.SkipReasonAsync(target.Name, arguments.Value("reason"), cancellationToken) : null;
            // A fix changes no schema: the pre-checks of the plan that stays where the target is.
            passed = await gates.PassAsync(target, new MigrationPlan(at, at, []), runId, skipReason, cancellationToken);
        }

        var run = await runs.StartFixAsync(runId, target, fix, undo, at, passed, cancellationToken);
        console.Out.WriteLine($"Recorded as run {run.Id} in the portal's run list.");
        FixRunResult result;
        var recorder = runs.Recorder(run.Id);
        try
        {
            await using (recorder)
            {
                result = await progress.RunAsync(false, shown => runner.RunAsync(target, fix, new FixRunRequest(run.Id, CliIdentity.User, options, undo),
                    new RunProgressTee(shown, recorder), cancellationToken));
            }
        }
        catch (Exception e)
        {
            // The run must not stay open in the run list when the fix did not start or stopped outside the runner.
            await runs.FinishAsync(run.Id, null, e.Message, at, CancellationToken.None);
            throw;
        }
        var outcome = result.Succeeded ? RunOutcome.Succeeded : result.Remaining > 0 ? RunOutcome.ValidationFailed : (RunOutcome?)null;
        await runs.FinishAsync(run.Id, outcome, result.Error, at, CancellationToken.None);
        if (result.Succeeded)
        {
            console.Out.WriteLine($"{(undo ? "Undid fix" : "Applied fix")} {fix.Id} on {target.Name}: {result.Summary}. Recorded in its fix_journal; the schema version stays {at}.");
            return ExitCodes.Success;
        }
        console.Error.WriteLine($"{Name} {fix.Id} on {target.Name} failed: {result.Error}");
        return ExitCodes.Failure;
    }
}

/// <summary>What the fix verbs share: a fix as JSON, and the batching the options ask for.</summary>
internal static class FixText
{
    public static BsonDocument ToBson(RegisteredFix fix, FixStatus? status)
    {
        var document = new BsonDocument
        {
            { "id", fix.Id }, { "checksum", fix.Checksum }, { "collection", fix.Collection }, { "description", fix.Description },
            { "fields", new BsonArray(fix.Definition.Fields) },
            { "filter", Engine.Mongosh.MongoshSyntax.Rendered(fix.Definition.Pending) },
        };
        if (fix.Definition.ConstantValues is { } values) document["set"] = values;
        if (status is not null)
        {
            document["journal"] = new BsonDocument
            {
                { "state", FixStatus.Words(status.State) }, { "changed_since", status.ChangedSince },
                { "at", status.Last is { } last ? last.At : BsonNull.Value }, { "by", status.Last?.By is { } by ? by : BsonNull.Value },
                { "run_id", status.Last?.RunId is { } run ? run : BsonNull.Value },
            };
        }
        return document;
    }

    public static BatchOptions Batching(CliArguments arguments, BatchOptions configured) =>
        new BatchOptions(arguments.Integer("batch-size") ?? configured.BatchSize, arguments.Integer("pause-ms") ?? configured.PauseMilliseconds).Validated();
}
