namespace BotCore.MigrationPortal.Security;

/// <summary>The outcome of one sign-in: the user when it succeeded, else why not (and until when a lock lasts).</summary>
public sealed record SignInAttempt(PortalUser? User, SignInError? Error, DateTime? LockedUntil)
{
    public bool Succeeded => Error is null;

    public static SignInAttempt Success(PortalUser user) => new(user, null, null);

    public static SignInAttempt Failure(SignInError error, DateTime? lockedUntil = null) => new(null, error, lockedUntil);
}
