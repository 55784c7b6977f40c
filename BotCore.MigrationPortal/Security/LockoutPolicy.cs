namespace BotCore.MigrationPortal.Security;

/// <summary>
/// How many wrong passwords in a row lock an account, for how long, and for whom. A lock holds only for the client
/// addresses that gave wrong passwords: anyone can type a name and five wrong passwords, and must not thereby lock the
/// account's owner out (an Admin least of all). The owner, from an address that did not fail, still signs in; an Admin
/// can lift a lock at once.
/// </summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Duration)
{
    /// <summary>How many failing addresses an account remembers; older ones drop out.</summary>
    public const int RememberedClients = 20;

    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15));

    /// <summary>The account is locked for the addresses that failed (the Users page shows this).</summary>
    public static bool IsLocked(PortalUser user, DateTime at) => user.LockedUntil > at;

    /// <summary>Whether <paramref name="client"/> may not try a password on this account now.</summary>
    public static bool IsLockedFor(PortalUser user, string client, DateTime at) => IsLocked(user, at) && user.FailingClients.Contains(client);

    /// <summary>The user after one more wrong password from <paramref name="client"/> at <paramref name="at"/>.</summary>
    public PortalUser AfterFailedAttempt(PortalUser user, string client, DateTime at)
    {
        var lockRanOut = user.LockedUntil <= at;
        var failures = (lockRanOut ? 0 : user.FailedAttempts) + 1;
        var lockedUntil = IsLocked(user, at) ? user.LockedUntil
            : failures >= MaxFailedAttempts ? at + Duration
            : null;
        IEnumerable<string> clients = lockRanOut ? [] : user.FailingClients;
        return user with
        {
            FailedAttempts = failures,
            LockedUntil = lockedUntil,
            FailingClients = clients.Append(client).TakeLast(RememberedClients).ToList(),
        };
    }
}
