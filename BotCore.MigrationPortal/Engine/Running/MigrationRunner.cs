using System.Diagnostics;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Text;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>
/// Executes a plan against a target under the target's lease. Records the schema version and a changelog
/// entry after each migration, then has the request's validation check the result. When a step fails, the run is
/// cancelled or its validation fails (unless the request says to leave the changes in place), it undoes what this run
/// changed, in reverse, and checks that the live catalog is again the one it found.
/// </summary>
public sealed class MigrationRunner(TimeProvider time, ILogger<MigrationRunner> logger)
{
    /// <exception cref="RunNotStartedException">
    /// The run did not start and changed nothing: another run holds the target (<see cref="TargetLockedException"/> inside), the target
    /// is no longer at the plan's starting version (<see cref="PlanRefusedException"/>), or it could not be read.
    /// </exception>
    public async Task<RunResult> RunAsync(IMigrationTarget target, MigrationPlan plan, RunRequest request, IProgress<RunEvent> progress,
        CancellationToken cancellationToken)
    {
        var (lease, before) = await BeginAsync(target, plan, request, cancellationToken);
        await using var held = lease;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);

        var events = new RunEvents(progress, time);
        events.Emit(RunEventKind.RunStarted, $"Migrating {target.Name} from {plan.From} to {plan.To} ({Counted.Of(plan.Migrations.Count, "migration")})");
        logger.LogInformation("Run {RunId} by {User}: {Target} from {From} to {To}", request.RunId, request.RequestedBy, target.Name, plan.From, plan.To);
        var executed = new List<ExecutedMigration>();
        // The catalog as last read while nothing has written since: null after a data step, which may change it unseen.
        SchemaCatalog? live = before;
        IReadOnlyList<FailedCheck> failedChecks;
        try
        {
            foreach (var migration in plan.Migrations)
            {
                var run = new ExecutedMigration(migration, time.GetUtcNow());
                executed.Add(run);
                events.Emit(RunEventKind.MigrationStarted, $"{migration.Version} {migration.Direction.Name()}: {migration.Migration.Description}",
                    migration);
                foreach (var planned in migration.Steps)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    live ??= await target.ReadCatalogAsync(stop.Token);
                    // A step that cannot apply (a collection exists with other options) fails here, before it is
                    // registered: the rollback must never undo what this run did not do.
                    var expected = planned.Step.Apply(live);
                    var step = new ExecutedStep(planned.Step, live, $"{migration.Version}/{migration.Direction.Name()}/{planned.Number}");
                    run.Steps.Add(step);
                    var reporter = new StepReporter(progress, time, migration.Version.ToString(), migration.Direction.Name(), planned.Number, migration.Steps.Count);
                    live = await ExecuteStepAsync(target, step, expected, reporter, request, stop.Token);
                }
                // Schema steps finish even when the lease is lost meanwhile: the version is never written under another run's lease.
                stop.Token.ThrowIfCancellationRequested();
                await target.RecordAsync(migration.To, run.Entry(ChangelogEntry.Applied, null, request, time), CancellationToken.None);
                run.Completed = true;
                live = null; // the version changed
                events.Emit(RunEventKind.MigrationFinished, $"{migration.Version} {migration.Direction.Name()} done; schema version is now {migration.To}",
                    migration, time.GetUtcNow() - run.StartedAt);
            }
            // Validated under the lease, before anyone else may write: a rollback must undo this run's changes and nothing newer.
            failedChecks = await ValidateAsync(target, plan, request, events, progress, lease.Lost);
        }
        catch (Exception e) when (lease.Lost.IsCancellationRequested)
        {
            logger.LogError(e, "Run {RunId} lost the lock of {Target} and stopped", request.RunId, target.Name);
            events.Emit(RunEventKind.RunFinished,
                "The run lost the target's lock (another run took it over) and stopped without undoing anything. Check the target before any further run.",
                level: RunEventLevel.Error, passed: false);
            return new RunResult(RunOutcome.LeaseLost, null, "lost the target's lock; its version and catalog must be checked by hand", false, []);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Cancellation can surface as the driver's connection error wrapping it: the token says what happened.
            var cancelled = cancellationToken.IsCancellationRequested;
            var reason = cancelled ? "the run was cancelled" : Describe(e);
            if (cancelled) logger.LogWarning("Run {RunId} cancelled; rolling back", request.RunId);
            else logger.LogError(e, "Run {RunId} failed: {Reason}; rolling back", request.RunId, reason);
            events.Emit(RunEventKind.StepFailed, $"Stopped: {reason}", level: RunEventLevel.Error);
            return await RollBackAsync(target, plan, executed, before, reason, cancelled, request, events, progress, lease.Lost);
        }

        if (failedChecks.Count == 0)
        {
            events.Emit(RunEventKind.RunFinished, $"{target.Name} is at {plan.To}", passed: true);
            logger.LogInformation("Run {RunId} succeeded: {Target} is at {Version}", request.RunId, target.Name, plan.To);
            return new RunResult(RunOutcome.Succeeded, plan.To, null, false, []);
        }
        var failure = FailedCheck.Describe(failedChecks);
        if (!request.RollBackOnFailedValidation)
        {
            events.Emit(RunEventKind.RunFinished, $"Failed: {failure}. Its changes are left in place: rolling back on a failed validation is off for {target.Name}.",
                level: RunEventLevel.Error, passed: false);
            logger.LogError("Run {RunId}: {Failure}; left in place, {Target} is at {Version}", request.RunId, failure, target.Name, plan.To);
            return new RunResult(RunOutcome.ValidationFailed, plan.To, failure, false, []) { FailedChecks = failedChecks };
        }
        logger.LogError("Run {RunId}: {Failure}; rolling back", request.RunId, failure);
        return await RollBackAsync(target, plan, executed, before, failure, false, request, events, progress, lease.Lost) with { FailedChecks = failedChecks };
    }

    /// <summary>Runs the request's validation, if it has one; a validation that could not run has not passed.</summary>
    /// <returns>The failures that block; empty when it passed or there is none.</returns>
    private async Task<IReadOnlyList<FailedCheck>> ValidateAsync(IMigrationTarget target, MigrationPlan plan, RunRequest request, RunEvents events,
        IProgress<RunEvent> progress, CancellationToken leaseLost)
    {
        if (request.Validation is not { } validation) return [];
        events.Emit(RunEventKind.ValidationStarted, $"Validating {target.Name} at {plan.To}: the live catalog and the post-migration checks");
        IReadOnlyList<FailedCheck> failed;
        try
        {
            failed = await validation.ValidateAsync(target, plan, progress, leaseLost);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !leaseLost.IsCancellationRequested)
        {
            logger.LogError(e, "Run {RunId}: the validation of {Target} could not run", request.RunId, target.Name);
            failed = [new FailedCheck("Post-migration validation", $"could not run: {Describe(e)}")];
        }
        events.Emit(RunEventKind.ValidationFinished, failed.Count == 0 ? "Validation passed" : FailedCheck.Describe(failed),
            level: failed.Count == 0 ? RunEventLevel.Information : RunEventLevel.Error, passed: failed.Count == 0);
        return failed;
    }

    /// <summary>Takes the target's lease and checks the target is where the plan starts; whatever fails here has changed nothing.</summary>
    private static async Task<(TargetLease Lease, SchemaCatalog Before)> BeginAsync(IMigrationTarget target, MigrationPlan plan, RunRequest request,
        CancellationToken cancellationToken)
    {
        TargetLease? lease = null;
        try
        {
            lease = await target.AcquireLeaseAsync(new LeaseHolder(request.RunId, request.RequestedBy), cancellationToken);
            var before = await target.ReadCatalogAsync(cancellationToken);
            if (before.Version != plan.From)
            {
                throw new PlanRefusedException(
                    $"Target '{target.Name}' is at {before.Version}, but the plan starts at {plan.From}: someone migrated it meanwhile. Plan again.");
            }
            return (lease, before);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            if (lease is not null) await lease.DisposeAsync();
            throw new RunNotStartedException(e is MigrationEngineException ? e.Message : Describe(e), e);
        }
    }

    /// <returns>The live catalog after the step when it is known without reading again; null after a data step.</returns>
    private async Task<SchemaCatalog?> ExecuteStepAsync(IMigrationTarget target, ExecutedStep step, SchemaCatalog expected, StepReporter reporter, RunRequest request,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        reporter.Emit(RunEventKind.StepStarted, step.Step.Description);
        SchemaCatalog? after = null;
        if (step.Step.Kind == StepKind.Schema && expected.Equals(step.LiveBefore))
        {
            step.Outcome = StepOutcome.AlreadyDone("already in place, nothing to do");
            after = step.LiveBefore;
        }
        else
        {
            step.Started = true;
            // A schema change is not interrupted halfway: cancellation waits for the next step or batch.
            var token = step.Step.Kind == StepKind.Schema ? CancellationToken.None : cancellationToken;
            // The one rule the migration page shows too; a data step leaves the catalog as it is, so expected is what it runs against.
            // A schema step's answer does not depend on the topology, so only data steps ask the server.
            var transactions = step.Step.Kind == StepKind.Data
                ? TransactionSupport.For(step.Step, expected, await target.ReadTopologyAsync(token))
                : TransactionSupport.For(step.Step, expected, TargetTopology.Standalone);
            logger.LogInformation("Step {StepKey}: {Transactions}", step.Key, transactions);
            step.Outcome = await target.ExecuteStepAsync(step.Step, expected, new StepExecution(request.RunId, step.Key, reporter, request.Batching, transactions)
            {
                BetweenBatches = request.BetweenBatches,
            }, token);
            if (step.Step.Kind == StepKind.Schema)
            {
                // Only what the step touches is compared: the application may create its own collections meanwhile.
                after = await target.ReadCatalogAsync(CancellationToken.None);
                var differences = CatalogDiff.Between(expected, after, step.Step.Touches.Contains);
                if (differences.Count > 0)
                {
                    throw new MigrationEngineException(
                        $"After '{step.Step.Description}' the database is not what the step should leave: {string.Join("; ", differences.Select(d => d.DescribeAsDrift()))}.");
                }
            }
            else
            {
                await target.ClearCheckpointsAsync(step.Key, CancellationToken.None);
            }
        }
        reporter.Emit(RunEventKind.StepFinished, step.Outcome.Summary, clock.Elapsed);
        logger.LogInformation("Step {StepKey} {Description}: {Summary} in {DurationMs} ms", step.Key, step.Step.Description, step.Outcome.Summary,
            clock.ElapsedMilliseconds);
        return after;
    }

    /// <summary>The one undo of a run, whatever stopped it: a failing step, a cancellation or a failed validation.</summary>
    private async Task<RunResult> RollBackAsync(IMigrationTarget target, MigrationPlan plan, List<ExecutedMigration> executed, SchemaCatalog before, string reason,
        bool cancelled, RunRequest request, RunEvents events, IProgress<RunEvent> progress, CancellationToken leaseLost)
    {
        events.Emit(RunEventKind.RollbackStarted, "Undoing this run's changes in reverse order");
        string? rollbackError = null;
        foreach (var run in Enumerable.Reverse(executed))
        {
            rollbackError = await UndoAsync(target, run, request, progress, leaseLost);
            try
            {
                if (run.Completed && rollbackError is null)
                {
                    await target.RecordAsync(run.Migration.From, run.Entry(ChangelogEntry.RolledBack, reason, request, time), CancellationToken.None);
                }
                else
                {
                    // A completed migration whose undo failed keeps its version (part of it is still in place), and its
                    // changelog says what happened: history travels with the data.
                    await target.AppendChangelogAsync(run.Entry(ChangelogEntry.Failed, rollbackError is null ? reason : $"{reason}; {rollbackError}", request, time),
                        CancellationToken.None);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                rollbackError ??= $"recording the rollback of {run.Migration.Version} failed: {Describe(e)}";
                logger.LogError(e, "Run {RunId}: could not record the rollback of {Version}", request.RunId, run.Migration.Version);
            }
            if (rollbackError is not null) break;
        }

        IReadOnlyList<CatalogDifference> differences = [];
        SchemaCatalog? after = null;
        if (rollbackError is null)
        {
            try
            {
                after = await target.ReadCatalogAsync(CancellationToken.None);
                differences = RollbackVerification.Remaining(plan, before, after);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                rollbackError = $"the catalog could not be read to verify the rollback: {Describe(e)}";
            }
        }
        if (after is not null && differences.Count == 0)
        {
            events.Emit(RunEventKind.RollbackFinished, $"Rolled back: {target.Name} is at {after.Version} and its catalog is as it was before the run", passed: true);
            events.Emit(RunEventKind.RunFinished, cancelled ? "Cancelled and rolled back" : $"Failed and rolled back: {reason}", level: RunEventLevel.Warning, passed: false);
            return new RunResult(RunOutcome.RolledBack, after.Version, reason, cancelled, []);
        }

        var problem = rollbackError ?? $"the catalog differs from before the run: {string.Join("; ", differences.Select(d => d.DescribeAsDrift()))}";
        events.Emit(RunEventKind.RollbackFinished, $"ROLLBACK FAILED, MANUAL INTERVENTION REQUIRED: {problem}", level: RunEventLevel.Error, passed: false);
        events.Emit(RunEventKind.RunFinished, $"Failed: {reason}; rollback failed", level: RunEventLevel.Error, passed: false);
        logger.LogError("Run {RunId}: rollback of {Target} failed: {Problem}", request.RunId, target.Name, problem);
        return new RunResult(RunOutcome.RollbackFailed, after?.Version, $"{reason}; rollback failed: {problem}", cancelled, differences);
    }

    /// <summary>Undoes, in reverse, the steps of one migration that this run started and that may have changed something.</summary>
    /// <returns>Why undoing failed, or null.</returns>
    private async Task<string?> UndoAsync(IMigrationTarget target, ExecutedMigration run, RunRequest request, IProgress<RunEvent> progress,
        CancellationToken leaseLost)
    {
        SchemaCatalog? live = null;
        foreach (var step in Enumerable.Reverse(run.Steps).Where(s => s.Started && s.Outcome?.Changed != false))
        {
            // Another run holds the target now: undoing further would write beside it.
            if (leaseLost.IsCancellationRequested) return $"the run lost the target's lock while undoing {run.Migration.Version}";
            try
            {
                var inverse = step.Step.Undo(step.LiveBefore, step.Outcome);
                var undo = new ExecutedStep(inverse, live ??= await target.ReadCatalogAsync(CancellationToken.None), $"{step.Key}/undo");
                // Both checkpoints go first: a later run must not resume past documents this undo takes back, and this
                // undo must not resume where an earlier, failed undo of the same step stopped.
                await target.ClearCheckpointsAsync(step.Key, CancellationToken.None);
                await target.ClearCheckpointsAsync(undo.Key, CancellationToken.None);
                var reporter = new StepReporter(progress, time, run.Migration.Version.ToString(), "rollback", run.Steps.IndexOf(step) + 1, run.Steps.Count);
                live = await ExecuteStepAsync(target, undo, inverse.Apply(live), reporter, request, leaseLost);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogError(e, "Run {RunId}: rollback failed at {StepKey}", request.RunId, step.Key);
                var why = leaseLost.IsCancellationRequested ? "the run lost the target's lock" : Describe(e);
                return $"undoing '{step.Step.Description}' of {run.Migration.Version} failed: {why}";
            }
        }
        return null;
    }

    /// <summary>What went wrong, as a clause: the run's error and its messages go on after it.</summary>
    internal static string Describe(Exception e) => e switch
    {
        MigrationEngineException or MongoException => Clause.Of(e.Message),
        OperationCanceledException => "the run was cancelled",
        _ => Clause.Of($"{e.GetType().Name}: {e.Message}"),
    };

    /// <summary>A step of this run: the live catalog it met (to derive its inverse), whether it touched the database, and its outcome.</summary>
    private sealed class ExecutedStep(IMigrationStep step, SchemaCatalog liveBefore, string key)
    {
        public IMigrationStep Step { get; } = step;
        public SchemaCatalog LiveBefore { get; } = liveBefore;
        public string Key { get; } = key;

        /// <summary>Set just before the database is asked to change: only such steps are ever undone.</summary>
        public bool Started { get; set; }

        /// <summary>Null while it runs and when it failed: a started step without an outcome may have changed something.</summary>
        public StepOutcome? Outcome { get; set; }
    }

    private sealed class ExecutedMigration(PlannedMigration migration, DateTimeOffset startedAt)
    {
        public PlannedMigration Migration { get; } = migration;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public List<ExecutedStep> Steps { get; } = [];
        public bool Completed { get; set; }

        public ChangelogEntry Entry(string status, string? error, RunRequest request, TimeProvider time)
        {
            var now = time.GetUtcNow();
            return new ChangelogEntry
            {
                Version = Migration.Version.ToString(),
                Description = Migration.Migration.Description,
                Checksum = Migration.Migration.Checksum,
                Direction = Migration.Direction.Name(),
                Status = status,
                RunId = request.RunId,
                AppliedBy = request.RequestedBy,
                StartedAt = StartedAt.UtcDateTime,
                FinishedAt = now.UtcDateTime,
                DurationMs = (long)(now - StartedAt).TotalMilliseconds,
                Error = error,
            };
        }
    }
}
