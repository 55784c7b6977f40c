using System.Net;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Whether the portal's cookies are sent over HTTPS only: outside Development they are (behind a TLS proxy the forwarded
/// headers make the request HTTPS). Browsers accept such cookies from a loopback address over plain HTTP too, so a portal
/// started on this machine still works; from anywhere else, signing in over plain HTTP is refused with a message
/// instead of a cookie the browser would silently drop.
/// </summary>
public sealed class CookieSecurity(bool httpsOnly)
{
    public bool HttpsOnly => httpsOnly;

    public CookieSecurePolicy Policy => httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    public bool MaySignInOver(HttpRequest request) =>
        !httpsOnly || request.IsHttps || request.Host.Host is "localhost" || IPAddress.TryParse(request.Host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
}
