using BotCore.MigrationPortal.Engine.Leases;

namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>The lease of a simulated target, with the same rules as the MongoDB one; its clock plays the server's.</summary>
public sealed class InMemoryLeaseStore(TimeProvider time) : ILeaseStore
{
    private readonly Lock gate = new();
    private LeaseRecord? current;

    public Task<LeaseRecord?> TryAcquireAsync(LeaseHolder holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = Now;
            if (current is not null && !current.CanBeTakenBy(holder.Id, now)) return Task.FromResult<LeaseRecord?>(null);
            current = LeaseRecord.For(holder, now, duration);
            return Task.FromResult<LeaseRecord?>(current);
        }
    }

    public Task<LeaseRecord?> TryRenewAsync(string holderId, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (current?.HolderId != holderId) return Task.FromResult<LeaseRecord?>(null);
            current = current with { ExpiresAt = Now + duration };
            return Task.FromResult<LeaseRecord?>(current);
        }
    }

    public Task ReleaseAsync(string holderId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (current?.HolderId == holderId) current = null;
        }
        return Task.CompletedTask;
    }

    public Task<LeaseRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(current);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
