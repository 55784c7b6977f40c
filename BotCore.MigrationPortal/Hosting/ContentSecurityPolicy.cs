using System.Security.Cryptography;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// The portal's Content-Security-Policy: scripts only from the portal itself, or inline with this request's nonce
/// (the import map Blazor writes into the page); styles may be inline, because MudBlazor sets its theme and many
/// component styles that way; nothing may frame the portal, and forms post only to it. The Hangfire dashboard needs no
/// more: its pages load one script file and have no inline script or event handler (checked with Hangfire 1.8.25).
/// </summary>
public static class ContentSecurityPolicy
{
    private static readonly object NonceKey = new();

    /// <summary>This request's nonce, made on first use: the page and the header read the same one.</summary>
    public static string NonceOf(HttpContext context)
    {
        if (context.Items[NonceKey] is not string nonce)
        {
            // Hex: 128 random bits in characters that no HTML attribute encoding changes.
            nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }
        return nonce;
    }

    public static string For(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
}
