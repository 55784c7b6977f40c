namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>The lease of a simulated target, with the same rules as the MongoDB one.</summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock gate = new();
    private LeaseRecord? current;

    public Task<bool> TryAcquireAsync(LeaseRecord wanted, DateTime now, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (current is not null && !current.CanBeTakenBy(wanted.HolderId, now)) return Task.FromResult(false);
            current = wanted;
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryRenewAsync(string holderId, DateTime expiresAt, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (current?.HolderId != holderId) return Task.FromResult(false);
            current = current with { ExpiresAt = expiresAt };
            return Task.FromResult(true);
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
}
