using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// The batch boundary of one run's job (<see cref="BatchBoundary"/>): between two batches of a data step it looks whether someone paused the
/// run (the request is stored on the run, so a pause asked on any portal instance reaches the job), and if so records where the step stopped
/// and waits, polling the run, until someone resumes it or asks to cancel (cancel wins: the job's cancellation token ends the wait). The batch
/// and its checkpoint are saved before it is asked, so nothing holds a transaction while the run is paused, and the target's lease keeps
/// renewing itself meanwhile (<see cref="Engine.Leases.TargetLease"/>).
/// </summary>
public sealed class RunPauseGate(RunRepository repository, string runId, TimeProvider time, ILogger logger)
{
    /// <summary>How often the run is read between batches and while paused: batches come far more often, and a read each would load the store.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private MigrationRun? lastRead;
    private long lastReadAt;

    /// <summary>Holds a run that someone paused (and did not cancel) while it runs; a rollback's data steps are never held.</summary>
    public static bool Holds(MigrationRun run) => run is { State: RunState.Running, Pause: not null, CancelRequestedBy: null };

    public async Task HoldAsync(BatchPosition position, CancellationToken cancellationToken)
    {
        if (await ReadAsync(cancellationToken) is not { } run || !Holds(run)) return;
        if (!await AcknowledgeAsync(position, cancellationToken)) return;
        logger.LogInformation("Run {RunId} paused at batch boundary {Batch} of step {StepKey}: {Processed}/{Total} documents", runId, position.Batch, position.StepKey,
            position.Processed, position.Total);
        while (true)
        {
            await Task.Delay(Poll, time, cancellationToken);
            if (await ReadAsync(cancellationToken, fresh: true) is { } now && !Holds(now)) break;
        }
        logger.LogInformation("Run {RunId}: step {StepKey} goes on with batch {Batch}", runId, position.StepKey, position.Batch + 1);
    }

    /// <summary>Records on the run where its step stopped, unless it was resumed or cancelled meanwhile.</summary>
    /// <returns>Whether the pause still holds.</returns>
    private async Task<bool> AcknowledgeAsync(BatchPosition position, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await repository.LoadAsync(runId, null, cancellationToken);
            if (!Holds(current)) return false;
            var now = time.GetUtcNow().UtcDateTime;
            var point = new PausePoint(position.StepKey, position.Batch, position.Processed, position.Total, position.Simulated, now);
            var where = $"at batch boundary {position.Batch:N0} of step {position.StepKey}: {position.Processed:N0}/{position.Total:N0} documents" +
                (position.Simulated ? " (simulated)" : "") + $"; the checkpoint is kept (asked by {current.Pause!.By})";
            try
            {
                await repository.SaveAsync(current, current with
                {
                    Pause = current.Pause! with { Reached = point },
                    Pauses = [.. current.Pauses, new PauseRecord(PauseRecord.Reached, RunJobLedger.Portal, now, $"paused {where}")],
                }, $"Paused {where}", CancellationToken.None);
                return true;
            }
            catch (ConflictRefusalException)
            {
                // The run changed between the read and the save (a resume, a cancel, the job's own state move): read it again.
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                // The store hiccuped: the step holds all the same (the page says the pause was asked), and the wait reads the run again.
                logger.LogWarning(e, "Run {RunId}: could not record where its step paused", runId);
                return true;
            }
        }
        return true;
    }

    /// <summary>The run as last read, read again when that was a <see cref="Poll"/> ago (or <paramref name="fresh"/>); null when the store did not answer.</summary>
    private async Task<MigrationRun?> ReadAsync(CancellationToken cancellationToken, bool fresh = false)
    {
        if (!fresh && lastRead is not null && time.GetElapsedTime(lastReadAt) < Poll) return lastRead;
        try
        {
            lastRead = await repository.LoadAsync(runId, null, cancellationToken);
            lastReadAt = time.GetTimestamp();
            return lastRead;
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            // The portal store hiccuped: the step goes on (or stays paused) as last seen; a run must not fail because a poll did.
            logger.LogWarning(e, "Run {RunId}: could not check for a pause", runId);
            return fresh ? null : lastRead;
        }
    }
}
