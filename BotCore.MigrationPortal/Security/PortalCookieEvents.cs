using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Checks every cookie against the user store, so that a disabled account is signed out at its next request and
/// a changed role takes effect without signing in again.
/// </summary>
public sealed class PortalCookieEvents(IUserStore users, ILogger<PortalCookieEvents> logger) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var user = name is null ? null : await users.FindAsync(name, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled)
        {
            logger.LogInformation("Signed out {User}: the account is disabled or no longer exists", name);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }
        if (PortalPrincipal.RoleOf(context.Principal!) != user.Role || name != user.Name)
        {
            context.ReplacePrincipal(PortalPrincipal.For(user));
            context.ShouldRenew = true;
        }
    }

    /// <summary>
    /// Sends a signed-in person whose role is too low to the sign-in page with an explanation; without the error
    /// the page would send them straight back to where they were refused.
    /// </summary>
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.RedirectUri = QueryHelpers.AddQueryString(context.RedirectUri, "error", nameof(SignInError.Forbidden));
        return base.RedirectToAccessDenied(context);
    }
}
