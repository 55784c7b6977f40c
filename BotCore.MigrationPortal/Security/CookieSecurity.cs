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

    /// <remarks>
    /// Decided by the host the browser asked for, not by the connection's address: the browser keeps or drops a Secure cookie
    /// by the address it shows. Behind Docker's port mapping a browser at http://localhost:8080 connects from the bridge's
    /// gateway, and a plain-HTTP proxy on this machine connects from loopback for a browser elsewhere; the connection's
    /// address would refuse the first and let the second sign in to a cookie its browser drops. A forged Host header changes
    /// only what its own sender is told (it already sent its password).
    /// </remarks>
    public bool MaySignInOver(HttpRequest request) =>
        !httpsOnly || request.IsHttps || request.Host.Host is "localhost" || IPAddress.TryParse(request.Host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
}
