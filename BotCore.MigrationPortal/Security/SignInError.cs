namespace BotCore.MigrationPortal.Security;

/// <summary>Why the sign-in page is shown again (see <see cref="SignInErrors"/> for how it travels there).</summary>
public enum SignInError
{
    /// <summary>
    /// An unknown name, a wrong password, a locked and a disabled account all get this one answer, after the same work,
    /// so that nobody learns from it whether a name exists or a password was right.
    /// </summary>
    WrongNameOrPassword,
    MissingNameOrPassword,

    /// <summary>The form's antiforgery token did not validate (an old tab, a restarted portal, a forged post).</summary>
    FormExpired,

    /// <summary>Signed in, but the role is below what the requested page or endpoint needs.</summary>
    Forbidden,

    /// <summary>The portal signs in only over HTTPS (outside Development), and this request came over plain HTTP from another host.</summary>
    HttpsRequired,
}
