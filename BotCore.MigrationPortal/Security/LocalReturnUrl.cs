using System.Text;

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
        return otherHost || path.Any(char.IsControl) ? Home : AsciiOnly(path);
    }

    /// <summary>
    /// The path with every character beyond ASCII percent-encoded as UTF-8 ("/runs/é" → "/runs/%C3%A9"), as a browser sends
    /// it: a Location header may carry ASCII only, and the server refuses to write anything else (a 500 instead of a redirect).
    /// </summary>
    private static string AsciiOnly(string path)
    {
        if (Ascii.IsValid(path)) return path;
        var encoded = new StringBuilder(path.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                encoded.Append((char)rune.Value);
                continue;
            }
            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)]) encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return encoded.ToString();
    }
}
