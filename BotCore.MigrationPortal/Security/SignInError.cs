namespace BotCore.MigrationPortal.Security;

/// <summary>Why the sign-in page is shown again; travels in its query string as the name.</summary>
public enum SignInError
{
    /// <summary>An unknown name and a wrong password get the same answer, so that names cannot be probed.</summary>
    WrongNameOrPassword,
    LockedOut,
    Disabled,
    MissingNameOrPassword,

    /// <summary>The form's antiforgery token did not validate (an old tab, a restarted portal, a forged post).</summary>
    FormExpired,

    /// <summary>Signed in, but the role is below what the requested page or endpoint needs.</summary>
    Forbidden,
}
