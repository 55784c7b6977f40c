using System.Security.Claims;
using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace BotCore.MigrationPortal.Security;

/// <summary>The claims a signed-in user carries in the cookie: the name, the role's name and the session (<see cref="SessionClaims"/>).</summary>
public static class PortalPrincipal
{
    public static ClaimsPrincipal For(PortalUser user, SessionClaims session) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString()), .. session.ToClaims()],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));

    public static Role? RoleOf(ClaimsPrincipal principal) => RoleNames.Parse(principal.FindFirstValue(ClaimTypes.Role));

    /// <summary>
    /// Who a request acts as, for an endpoint: its session when it has one (every portal cookie does), else the signed-in name,
    /// read from the user store like any caller.
    /// </summary>
    public static Caller CallerOf(ClaimsPrincipal principal) =>
        SessionClaims.Of(principal) is { } session ? new SessionCaller(session) : new UserCaller(principal.Identity?.Name ?? "");
}
