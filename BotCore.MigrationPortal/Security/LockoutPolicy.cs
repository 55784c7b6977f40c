namespace BotCore.MigrationPortal.Security;

/// <summary>
/// How many wrong passwords in a row lock an account, for how long, and for whom. A lock holds only for the client
/// addresses that gave wrong passwords: anyone can type a name and five wrong passwords, and must not thereby lock the
/// account's owner out (an Admin least of all). The owner, from an address that did not fail, still signs in; an Admin
/// can lift a lock at once. No failing address is forgotten while the count runs, so failing from other addresses cannot
/// free a locked one; once <see cref="RememberedClients"/> addresses have failed, the lock holds for every address.
/// </summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Duration)
{
    /// <summary>
    /// How many failing addresses an account remembers. More than that many failing addresses is an attack from everywhere
    /// (an IPv6 client counts as its /64, see <see cref="SignInEndpoints.ClientOf(System.Net.IPAddress?)"/>): the lock then holds for all.
    /// </summary>
    public const int RememberedClients = 200;

    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15));

    /// <summary>The account is locked for the addresses that failed (the Users page shows this).</summary>
    public static bool IsLocked(PortalUser user, DateTime at) => user.LockedUntil > at;

    /// <summary>Whether <paramref name="client"/> may not try a password on this account now.</summary>
    public static bool IsLockedFor(PortalUser user, string client, DateTime at) => IsLocked(user, at) && Covers(user.FailingClients, client);

    /// <summary>The user after one more wrong password from <paramref name="client"/> at <paramref name="at"/>.</summary>
    public PortalUser AfterFailedAttempt(PortalUser user, string client, DateTime at)
    {
        var lockRanOut = user.LockedUntil <= at;
        var failures = (lockRanOut ? 0 : user.FailedAttempts) + 1;
        var lockedUntil = IsLocked(user, at) ? user.LockedUntil
            : failures >= MaxFailedAttempts ? at + Duration
            : null;
        IReadOnlyList<string> clients = lockRanOut ? [] : user.FailingClients;
        return user with
        {
            FailedAttempts = failures,
            LockedUntil = lockedUntil,
            FailingClients = Covers(clients, client) ? clients : [.. clients, client],
        };
    }

    /// <summary>Whether the failing addresses cover <paramref name="client"/>: it is among them, or they are full (and nothing is evicted).</summary>
    private static bool Covers(IReadOnlyList<string> clients, string client) => clients.Contains(client) || clients.Count >= RememberedClients;
}
