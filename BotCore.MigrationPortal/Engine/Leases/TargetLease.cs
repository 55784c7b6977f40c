using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Engine.Leases;

/// <summary>
/// A held lease on a target. It renews itself in the background; when a renewal finds the lease gone
/// (it expired and someone took it over) or the lease expires while renewals fail, <see cref="Lost"/> is
/// cancelled and the run must stop touching the database. Disposing releases it.
/// The store times the lease on its own clock; this holder cannot read that clock, so it counts the lease as lasting
/// one duration from when it sent the last successful request, by its own clock: never later than the store lets
/// another holder take over.
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
    private DateTimeOffset heldUntil;

    private TargetLease(ILeaseStore store, LeaseRecord record, DateTimeOffset heldUntil, LeaseOptions options, TimeProvider time, ILogger logger)
    {
        this.store = store;
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.heldUntil = heldUntil;
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
        var previous = await store.ReadAsync(cancellationToken);
        var sentAt = time.GetUtcNow();
        var held = await store.TryAcquireAsync(holder, options.Duration, cancellationToken);
        if (held is null)
        {
            // Read again for the message: the holder may have changed since the first read.
            var holderNow = await store.ReadAsync(cancellationToken) ?? previous ?? LeaseRecord.For(holder, sentAt.UtcDateTime, options.Duration);
            throw new TargetLockedException(target, holderNow);
        }
        if (previous is not null && previous.HolderId != holder.Id)
        {
            logger.LogWarning("Took over the expired lock of {Target} from run {PreviousRun} on {PreviousHost} (expired {ExpiredAt:u})",
                target, previous.RunId, previous.Host, previous.ExpiresAt);
        }
        return new TargetLease(store, held, sentAt + options.Duration, options, time, logger);
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(options.RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var sentAt = time.GetUtcNow();
                try
                {
                    if (await store.TryRenewAsync(Record.HolderId, options.Duration, stop.Token) is { } renewed)
                    {
                        Record = renewed;
                        heldUntil = sentAt + options.Duration;
                        continue;
                    }
                    logger.LogError("The lock of run {RunId} was taken over by another run", Record.RunId);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (sentAt < heldUntil)
                    {
                        logger.LogWarning(e, "Could not renew the lock of run {RunId}; retrying until it expires at {HeldUntil:u} by this portal's clock",
                            Record.RunId, heldUntil);
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
                logger.LogWarning(e, "Could not release the lock of run {RunId}; it expires at {ExpiresAt:u} by the database's clock", Record.RunId, Record.ExpiresAt);
            }
        }
        lost.Dispose();
        stop.Dispose();
    }
}
