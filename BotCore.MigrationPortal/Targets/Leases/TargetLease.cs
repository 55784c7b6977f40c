using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>
/// A held lease on a target. It renews itself in the background; when a renewal finds the lease gone
/// (it expired and someone took it over) or the lease expires while renewals fail, <see cref="Lost"/> is
/// cancelled and the run must stop touching the database. Disposing releases it.
/// </summary>
public sealed class TargetLease : IAsyncDisposable
{
    private readonly ILeaseStore store;
    private readonly LeaseOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;

    private TargetLease(ILeaseStore store, LeaseRecord record, LeaseOptions options, TimeProvider time, ILogger logger)
    {
        this.store = store;
        this.options = options;
        this.time = time;
        this.logger = logger;
        Record = record;
        renewing = RenewAsync();
    }

    public LeaseRecord Record { get; private set; }

    public CancellationToken Lost => lost.Token;

    /// <exception cref="TargetLockedException">Someone else holds an unexpired lease.</exception>
    public static async Task<TargetLease> AcquireAsync(
        string target, ILeaseStore store, LeaseHolder holder, LeaseOptions options, TimeProvider time, ILogger logger,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var wanted = LeaseRecord.For(holder, now, options.Duration);
        var previous = await store.ReadAsync(cancellationToken);
        if (!await store.TryAcquireAsync(wanted, now, cancellationToken))
        {
            throw new TargetLockedException(target, await store.ReadAsync(cancellationToken) ?? previous ?? wanted);
        }
        if (previous is not null && previous.HolderId != holder.Id)
        {
            logger.LogWarning("Took over the expired lock of {Target} from run {PreviousRun} on {PreviousHost} (expired {ExpiredAt:u})",
                target, previous.RunId, previous.Host, previous.ExpiresAt);
        }
        return new TargetLease(store, wanted, options, time, logger);
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(options.RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var now = time.GetUtcNow().UtcDateTime;
                try
                {
                    if (await store.TryRenewAsync(Record.HolderId, now + options.Duration, stop.Token))
                    {
                        Record = Record with { ExpiresAt = now + options.Duration };
                        continue;
                    }
                    logger.LogError("The lock of run {RunId} was taken over by another run", Record.RunId);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (!Record.IsExpiredAt(now))
                    {
                        logger.LogWarning(e, "Could not renew the lock of run {RunId}; retrying until it expires at {ExpiresAt:u}", Record.RunId, Record.ExpiresAt);
                        continue;
                    }
                    logger.LogError(e, "The lock of run {RunId} expired while it could not be renewed", Record.RunId);
                }
                await lost.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        if (!lost.IsCancellationRequested)
        {
            try
            {
                await store.ReleaseAsync(Record.HolderId, CancellationToken.None);
            }
            catch (Exception e)
            {
                // It expires on its own; a failed release only delays the next run by one lease duration.
                logger.LogWarning(e, "Could not release the lock of run {RunId}; it expires at {ExpiresAt:u}", Record.RunId, Record.ExpiresAt);
            }
        }
        lost.Dispose();
        stop.Dispose();
    }
}
