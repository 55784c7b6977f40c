namespace BotCore.MigrationPortal.Engine.Leases;

/// <summary>
/// Where a target keeps its one lease. Implementations make each operation atomic and time the lease on the store's own clock,
/// so that portals whose clocks differ agree on when a lease expires.
/// </summary>
public interface ILeaseStore
{
    /// <summary>Takes the lease for <paramref name="duration"/> when it is free, expired or already ours.</summary>
    /// <returns>The lease as stored, with the store's times; null when someone else holds it.</returns>
    Task<LeaseRecord?> TryAcquireAsync(LeaseHolder holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends our lease to <paramref name="duration"/> from the store's now.</summary>
    /// <returns>The lease as stored; null when it is no longer ours.</returns>
    Task<LeaseRecord?> TryRenewAsync(string holderId, TimeSpan duration, CancellationToken cancellationToken);

    Task ReleaseAsync(string holderId, CancellationToken cancellationToken);

    Task<LeaseRecord?> ReadAsync(CancellationToken cancellationToken);
}
