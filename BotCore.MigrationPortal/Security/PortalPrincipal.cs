using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace BotCore.MigrationPortal.Security;

/// <summary>The claims a signed-in user carries in the cookie: the name and the role's name.</summary>
public static class PortalPrincipal
{
    public static ClaimsPrincipal For(PortalUser user) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString())],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));

    public static Role? RoleOf(ClaimsPrincipal principal) => RoleNames.Parse(principal.FindFirstValue(ClaimTypes.Role));
}
