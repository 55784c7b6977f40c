using System.Globalization;
using System.Security.Claims;

namespace BotCore.MigrationPortal.Security.Sessions;

/// <summary>
/// What a signed-in session carries in its cookie besides name and role: the session's own id (so that signing out ends
/// this session on the server), the user's security stamp when it started (so that a password reset, a role change, a
/// disabling or "sign out everywhere" ends every session of the user), and when it started (sessions have a maximum age).
/// </summary>
public sealed record SessionClaims(string Name, string SessionId, string SecurityStamp, DateTime StartedAt)
{
    public const string SessionIdType = "botcore:sid";
    public const string SecurityStampType = "botcore:stamp";
    public const string StartedAtType = "botcore:started";

    /// <returns>The session a principal belongs to, or null for a principal without one (not signed in, or a cookie from before sessions).</returns>
    public static SessionClaims? Of(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name }) return null;
        var id = principal.FindFirstValue(SessionIdType);
        var stamp = principal.FindFirstValue(SecurityStampType);
        var started = long.TryParse(principal.FindFirstValue(StartedAtType), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
            : (DateTime?)null;
        return id is null || stamp is null || started is null ? null : new SessionClaims(name, id, stamp, started.Value);
    }

    public IEnumerable<Claim> ToClaims() =>
    [
        new(SessionIdType, SessionId),
        new(SecurityStampType, SecurityStamp),
        new(StartedAtType, new DateTimeOffset(StartedAt).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ];
}
