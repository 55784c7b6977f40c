namespace BotCore.MigrationPortal.Security;

/// <summary>Where the portal's users live (MongoDB, or memory in sandbox mode).</summary>
public interface IUserStore
{
    /// <summary>The user with this name, compared without regard to case.</summary>
    Task<PortalUser?> FindAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a user; false when the name is taken.</summary>
    Task<bool> TryInsertAsync(PortalUser user, CancellationToken cancellationToken);

    Task ReplaceAsync(PortalUser user, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed sign-in as one atomic change, so that parallel guesses cannot lose counts and slip past the
    /// lockout: a lock that has run out restarts the count, and reaching the limit locks the account.
    /// </summary>
    /// <param name="client">The address the wrong password came from: the lock holds for the addresses that failed.</param>
    /// <returns>The user as it is now, or null when there is no such user.</returns>
    Task<PortalUser?> RecordFailedSignInAsync(string name, string client, DateTime at, LockoutPolicy lockout, CancellationToken cancellationToken);

    /// <summary>Forgets failed sign-ins and lifts a lock, touching nothing else of the user.</summary>
    Task ClearFailedSignInsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Gives the user a new security stamp, touching nothing else: every session of the user ends.</summary>
    Task RotateSecurityStampAsync(string name, CancellationToken cancellationToken);
}
