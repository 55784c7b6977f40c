using System.Diagnostics;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Text;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Fixes;

/// <param name="Undo">Run the fix's undo instead of the fix.</param>
/// <param name="By">Who the journal names: the requester and the approver.</param>
public sealed record FixRunRequest(string RunId, string By, BatchOptions Batching, bool Undo = false)
{
    /// <summary>What the fix's data step asks between its batches: the portal's pause (as for a migration's); null for none.</summary>
    public BatchBoundary? BetweenBatches { get; init; }
}

/// <summary>How a fix run ended: the documents it changed, and how many its validation still found (needing the fix, or with undo records left).</summary>
public sealed record FixRunResult(bool Succeeded, long DocumentsChanged, long Remaining, string Summary, string? Error = null, bool Cancelled = false);

/// <summary>
/// Applies a fix (or undoes it) on a target under the target's lease, as one data step through the target
/// (<see cref="IMigrationTarget.ExecuteStepAsync"/>: batches, checkpoints, transactions as for migrations), records it in the target's
/// fix journal, and validates it: after the fix its idempotency rule matches no document, after the undo no undo record is left. A fix
/// never touches the schema version. Used by the portal's fix runs and by <c>fix run</c> on the command line.
/// </summary>
public sealed class FixRunner(TimeProvider time, ILogger<FixRunner> logger)
{
    /// <exception cref="RunNotStartedException">Nothing was changed: another run holds the target, or the fix's collection does not exist.</exception>
    public async Task<FixRunResult> RunAsync(IMigrationTarget target, RegisteredFix fix, FixRunRequest request, IProgress<RunEvent> progress,
        CancellationToken cancellationToken)
    {
        var (lease, catalog) = await BeginAsync(target, fix, request, cancellationToken);
        await using var held = lease;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var events = new RunEvents(progress, time);
        var what = request.Undo ? $"Undoing fix {fix.Id}" : $"Applying fix {fix.Id}";
        events.Emit(RunEventKind.RunStarted, $"{what} on {target.Name} ({fix.Collection}); the schema version stays {catalog.Version}");
        logger.LogInformation("Run {RunId} by {User}: {Action} fix {FixId} on {Target}", request.RunId, request.By, request.Undo ? "undo" : "apply", fix.Id, target.Name);
        IMigrationStep step = request.Undo ? new FixUndoStep(fix) : new FixStep(fix, request.RunId);
        var key = $"fix/{fix.Id}/{(request.Undo ? "undo" : "apply")}/{request.RunId}";
        var reporter = new StepReporter(progress, time, fix.Id, request.Undo ? "undo" : "apply", 1, 1);
        var clock = Stopwatch.StartNew();
        StepOutcome outcome;
        try
        {
            reporter.Emit(RunEventKind.StepStarted, step.Description);
            var transactions = TransactionSupport.For(step, catalog, await target.ReadTopologyAsync(stop.Token));
            outcome = await target.ExecuteStepAsync(step, catalog, new StepExecution(request.RunId, key, reporter, request.Batching, transactions)
            {
                BetweenBatches = request.BetweenBatches,
            }, stop.Token);
            await target.ClearCheckpointsAsync(key, CancellationToken.None);
            reporter.Emit(RunEventKind.StepFinished, outcome.Summary, clock.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cancelled = cancellationToken.IsCancellationRequested;
            var reason = cancelled ? "the run was cancelled" : lease.Lost.IsCancellationRequested ? "the run lost the target's lock" : MigrationRunner.Describe(e);
            logger.LogError(e, "Run {RunId}: fix {FixId} stopped: {Reason}", request.RunId, fix.Id, reason);
            // The batches committed before the stop stay written: their checkpoint counts them. The run is not resumed by its id,
            // so its checkpoints are forgotten once read; a new run starts from what the documents need.
            var changed = 0L;
            try
            {
                changed = await target.ReadCheckpointedWritesAsync(key, request.Undo ? FixUndoStep.RestorePass : FixStep.ApplyPass, CancellationToken.None);
                await target.ClearCheckpointsAsync(key, CancellationToken.None);
            }
            catch (Exception read) when (read is not OutOfMemoryException)
            {
                logger.LogError(read, "Run {RunId}: could not read how far fix {FixId} got", request.RunId, fix.Id);
            }
            var advice = request.Undo
                ? $"{Counted.Of(changed, "document")} restored so far stay restored and the undo records are kept: undo again to finish."
                : $"{Counted.Of(changed, "document")} fixed so far stay fixed, each with its undo record: run the fix again to finish it (a new run continues where documents still need it), or undo it.";
            try
            {
                await JournalAsync(target, fix, FixJournalEntry.Stopped, changed, request);
            }
            catch (Exception journal) when (journal is not OutOfMemoryException)
            {
                // The run's own record says it stopped; an unreachable target must not hide why.
                logger.LogError(journal, "Run {RunId}: could not journal that fix {FixId} stopped", request.RunId, fix.Id);
            }
            events.Emit(RunEventKind.RunFinished, $"Stopped: {reason}. {advice}", level: RunEventLevel.Error, passed: false);
            return new FixRunResult(false, changed, 0, $"stopped: {reason}", $"{Clause.Of(reason)}. {advice}", cancelled);
        }

        await JournalAsync(target, fix, request.Undo ? FixJournalEntry.Undone : FixJournalEntry.Applied, outcome.DocumentsWritten, request);
        events.Emit(RunEventKind.ValidationStarted, request.Undo
            ? $"Validating: no undo record of {fix.Id} is left in {TargetCollections.FixUndo}"
            : $"Validating: the fix's idempotency rule matches no document of {fix.Collection} any more");
        var remaining = request.Undo
            ? await target.CountFixUndoRecordsAsync(fix.Id, CancellationToken.None)
            : await target.CountNeedingFixAsync(fix.Definition, CancellationToken.None);
        var passed = remaining == 0;
        var validation = passed
            ? request.Undo ? "no undo record is left" : "the idempotency rule now matches 0 documents"
            : request.Undo
                ? $"{Counted.Of(remaining, "undo record")} of {fix.Id} {Counted.Pick(remaining, "is", "are")} left in {TargetCollections.FixUndo}" + LeftBecause(fix, outcome, "restore")
                : $"{Counted.Of(remaining, "document")} of {fix.Collection} still {Counted.Pick(remaining, "needs", "need")} the fix" + LeftBecause(fix, outcome, "fix");
        events.Emit(RunEventKind.ValidationFinished, passed ? $"Validation passed: {validation}" : $"Validation failed: {validation}",
            level: passed ? RunEventLevel.Information : RunEventLevel.Error, passed: passed);
        var summary = $"{outcome.Summary}; {validation}";
        events.Emit(RunEventKind.RunFinished, $"{(request.Undo ? "Undo of fix" : "Fix")} {fix.Id} on {target.Name}: {summary}", passed: passed,
            level: passed ? RunEventLevel.Information : RunEventLevel.Error);
        return new FixRunResult(passed, outcome.DocumentsWritten, remaining, summary, passed ? null : Clause.Of(validation));
    }

    /// <summary>
    /// Why documents are left after a pass, and what helps: those the validator refused (named in the step's summary) stay refused
    /// until someone corrects them, so a new run alone does not help them; any others started needing it after the run recorded
    /// its documents (or the undo's records were written meanwhile), which a new run takes.
    /// </summary>
    private static string LeftBecause(RegisteredFix fix, StepOutcome outcome, string act) => outcome.Refused > 0
        ? $" ({Counted.Of(outcome.Refused, "document")} refused by the validator of {fix.Collection}, named above: correct {Counted.Pick(outcome.Refused, "it", "them")} " +
            $"so that {Counted.Pick(outcome.Refused, "it passes", "they pass")} the validator, then run the {(act == "fix" ? "fix" : "undo")} again to {act} {Counted.Pick(outcome.Refused, "it", "them")}" +
            "; any others were written since the run read them, and a new run takes them)"
        : act == "fix" ? " (written since the run recorded its documents): run it again" : "";

    private static async Task<(TargetLease Lease, Engine.Catalog.SchemaCatalog Catalog)> BeginAsync(IMigrationTarget target, RegisteredFix fix, FixRunRequest request,
        CancellationToken cancellationToken)
    {
        TargetLease? lease = null;
        try
        {
            lease = await target.AcquireLeaseAsync(new LeaseHolder(request.RunId, request.By), cancellationToken);
            var catalog = await target.ReadCatalogAsync(cancellationToken);
            if (fix.CannotRunOn(target.Name, catalog) is { } missing) throw new MigrationEngineException(missing);
            return (lease, catalog);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            if (lease is not null) await lease.DisposeAsync();
            throw new RunNotStartedException(e is MigrationEngineException ? e.Message : MigrationRunner.Describe(e), e);
        }
    }

    private async Task JournalAsync(IMigrationTarget target, RegisteredFix fix, string action, long changed, FixRunRequest request) =>
        await target.AppendFixJournalAsync(new FixJournalEntry
        {
            FixId = fix.Id, Checksum = fix.Checksum, Collection = fix.Collection, Action = action, DocumentsChanged = changed, RunId = request.RunId,
            By = request.By, At = time.GetUtcNow().UtcDateTime,
        }, CancellationToken.None);
}
