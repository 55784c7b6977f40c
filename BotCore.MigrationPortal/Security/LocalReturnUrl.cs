namespace BotCore.MigrationPortal.Security;

/// <summary>Where to go after signing in: only a path of this portal, so that a crafted link cannot send a person elsewhere.</summary>
public static class LocalReturnUrl
{
    public const string Home = "/";

    public static string Resolve(string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(returnUrl)) return Home;
        // The cookie handler sends "/runs/42"; the Blazor router's redirect sends the base-relative "runs/42".
        var path = returnUrl.StartsWith('/') ? returnUrl : "/" + returnUrl;
        // "//host" and "/\host" are read by browsers as another host; control characters can hide either.
        var otherHost = path.Length > 1 && path[1] is '/' or '\\';
        return otherHost || path.Any(char.IsControl) ? Home : path;
    }
}
