namespace BotCore.MigrationPortal.Security;

/// <summary>How many wrong passwords in a row lock an account, and for how long.</summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Duration)
{
    public static LockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15));

    public static bool IsLocked(PortalUser user, DateTime at) => user.LockedUntil > at;

    /// <summary>The user after one more wrong password at <paramref name="at"/>.</summary>
    public PortalUser AfterFailedAttempt(PortalUser user, DateTime at)
    {
        var lockRanOut = user.LockedUntil <= at;
        var failures = (lockRanOut ? 0 : user.FailedAttempts) + 1;
        var lockedUntil = IsLocked(user, at) ? user.LockedUntil
            : failures >= MaxFailedAttempts ? at + Duration
            : null;
        return user with { FailedAttempts = failures, LockedUntil = lockedUntil };
    }
}
