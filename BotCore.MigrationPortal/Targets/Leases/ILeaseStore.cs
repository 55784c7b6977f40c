namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>Where a target keeps its one lease. Implementations make each operation atomic.</summary>
public interface ILeaseStore
{
    /// <summary>Takes the lease when it is free, expired or already ours; false when someone else holds it.</summary>
    Task<bool> TryAcquireAsync(LeaseRecord wanted, DateTime now, CancellationToken cancellationToken);

    /// <summary>Extends our lease; false when it is no longer ours.</summary>
    Task<bool> TryRenewAsync(string holderId, DateTime expiresAt, CancellationToken cancellationToken);

    Task ReleaseAsync(string holderId, CancellationToken cancellationToken);

    Task<LeaseRecord?> ReadAsync(CancellationToken cancellationToken);
}
