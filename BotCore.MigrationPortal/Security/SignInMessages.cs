using System.Globalization;

namespace BotCore.MigrationPortal.Security;

/// <summary>What the sign-in page says for each <see cref="SignInError"/>.</summary>
public static class SignInMessages
{
    public static string For(SignInError error, DateTimeOffset? lockedUntil, DateTimeOffset now) => error switch
    {
        SignInError.WrongNameOrPassword => "Wrong name or password.",
        SignInError.LockedOut => Locked(lockedUntil, now),
        SignInError.Disabled => "This account is disabled. Ask an Admin to enable it.",
        SignInError.MissingNameOrPassword => "Enter your name and your password.",
        SignInError.FormExpired => "The sign-in form had expired. Sign in again.",
        SignInError.Forbidden => "Your role may not open that page. Sign in with another account, or go back to the dashboard.",
        _ => "Sign in again.",
    };

    private static string Locked(DateTimeOffset? until, DateTimeOffset now)
    {
        const string Advice = "Try again then, or ask an Admin to unlock it.";
        if (until is not { } end || end <= now)
        {
            return $"This account was locked after {LockoutPolicy.Default.MaxFailedAttempts} failed sign-ins. {Advice}";
        }
        var minutes = (int)Math.Ceiling((end - now).TotalMinutes);
        var time = end.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"This account is locked after too many failed sign-ins, until {time} UTC (in {minutes} minute{(minutes == 1 ? "" : "s")}). {Advice}";
    }
}
