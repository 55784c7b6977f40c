namespace BotCore.MigrationPortal.Security;

/// <summary>What the sign-in page says for each <see cref="SignInError"/>.</summary>
public static class SignInMessages
{
    public static string For(SignInError error) => error switch
    {
        SignInError.WrongNameOrPassword =>
            $"Wrong name or password, or this account may not sign in now. After {LockoutPolicy.Default.MaxFailedAttempts} wrong passwords an account is locked " +
            $"for {LockoutPolicy.Default.Duration.TotalMinutes:N0} minutes for the address they came from; an Admin can unlock it sooner.",
        SignInError.MissingNameOrPassword => "Enter your name and your password.",
        SignInError.FormExpired => "The sign-in form had expired. Sign in again.",
        SignInError.Forbidden => "Your role may not open that page. Sign in with another account, or go back to the dashboard.",
        SignInError.HttpsRequired => "This portal signs in only over HTTPS. Open it with an https:// address (or through the TLS proxy in front of it).",
        _ => "Sign in again.",
    };
}
