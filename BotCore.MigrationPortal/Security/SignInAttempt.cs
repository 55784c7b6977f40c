namespace BotCore.MigrationPortal.Security;

/// <summary>The outcome of one sign-in: the user when it succeeded, else the one answer a failure gets.</summary>
public sealed record SignInAttempt(PortalUser? User)
{
    public bool Succeeded => User is not null;

    public static SignInAttempt Success(PortalUser user) => new(user);

    public static SignInAttempt Failure { get; } = new((PortalUser?)null);
}
