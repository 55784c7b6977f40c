using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Checks every cookie's session (<see cref="SessionValidator"/>), so that a session that was signed out, a cookie copied
/// before a sign-out or a password reset, and the sessions of a disabled or changed account are refused at their next
/// request, and the refusal is audited.
/// </summary>
public sealed class PortalCookieEvents(SessionValidator sessions, IAuditLog audit, SignInErrors errors, ILogger<PortalCookieEvents> logger) : CookieAuthenticationEvents
{
    private const int MaximumAuditedPath = 200;

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var session = SessionClaims.Of(principal);
        var check = session is null ? null : await sessions.CheckAsync(session, cached: true, context.HttpContext.RequestAborted);
        var problem = check is null ? "the cookie carries no session (it is older than sessions)"
            : !check.Holds ? check.Problem
            : check.User!.Role != PortalPrincipal.RoleOf(principal) ? "the role changed since the session started"
            : null;
        if (problem is null) return;

        var name = principal.Identity?.Name ?? "unknown";
        logger.LogInformation("Refused the session of {User} from {Address}: {Reason}", name, context.HttpContext.Connection.RemoteIpAddress, problem);
        await audit.RecordAsync(new AuditRecord(name, check?.User?.Role.ToString() ?? "none", AuditActions.SessionRefused, null, null,
            $"a request from {context.HttpContext.Connection.RemoteIpAddress} with an ended session was refused: {problem}"), context.HttpContext.RequestAborted);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }

    /// <summary>
    /// Sends a signed-in person whose role is too low to the sign-in page with an explanation; without the error
    /// the page would send them straight back to where they were refused. The refusal is audited like any refused action.
    /// </summary>
    public override async Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        var user = context.HttpContext.User;
        var name = user.Identity?.Name ?? "unknown";
        var role = PortalPrincipal.RoleOf(user)?.ToString() ?? "none";
        // The path only, cut to a sensible length: a query string may carry a token or another secret.
        var path = (context.Request.PathBase + context.Request.Path).Value ?? "/";
        if (path.Length > MaximumAuditedPath) path = path[..MaximumAuditedPath] + "…";
        logger.LogWarning("Refused {User} ({Role}) the page {Path}: the role is too low", name, role, path);
        await audit.RecordAsync(new AuditRecord(name, role, AuditActions.ActionRefused, null, null, $"tried to open {path}: a {role} may not"),
            context.HttpContext.RequestAborted);
        context.RedirectUri = errors.AddTo(context.RedirectUri, SignInError.Forbidden, null);
        await base.RedirectToAccessDenied(context);
    }
}
