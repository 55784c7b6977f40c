namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// Follows a running run's cancellation request from any portal instance (a person's "Cancel run" is saved on the run, not sent to
/// this process): polls the run once a second and cancels <see cref="Watching.Token"/> when someone asked. Used by the migration and fix jobs.
/// </summary>
public sealed class RunCancellationWatch(RunRepository repository, TimeProvider time, ILogger<RunCancellationWatch> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public Watching Watch(string runId) => new(this, runId);

    public sealed class Watching : IAsyncDisposable
    {
        private readonly CancellationTokenSource cancel = new();
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        internal Watching(RunCancellationWatch owner, string runId) => loop = owner.WatchAsync(runId, cancel, stop.Token);

        /// <summary>Cancelled once a person asked to cancel the run.</summary>
        public CancellationToken Token => cancel.Token;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
            cancel.Dispose();
        }
    }

    private async Task WatchAsync(string runId, CancellationTokenSource cancel, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Poll, time);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(stop)) return;
                var run = await repository.LoadAsync(runId, null, stop);
                if (run.CancelRequestedBy is null) continue;
                logger.LogInformation("Run {RunId}: {User} asked to cancel; stopping at the next batch", runId, run.CancelRequestedBy);
                await cancel.CancelAsync();
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The portal store hiccuped: keep watching; the run must not fail because a poll did.
                logger.LogWarning(e, "Run {RunId}: could not check for a cancellation request", runId);
            }
        }
    }
}
