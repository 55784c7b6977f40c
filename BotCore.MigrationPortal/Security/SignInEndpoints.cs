using System.Globalization;
using BotCore.MigrationPortal.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// The posts of the sign-in page and of the sign-out button. Plain HTTP endpoints, not components: setting and
/// clearing the cookie needs the response, which an interactive page no longer has.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPage = "/signin";

    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The antiforgery token is checked in the handlers, so that an expired form gets an explanation, not a bare 400.
        var auth = endpoints.MapGroup("/auth").AllowAnonymous().DisableAntiforgery();
        auth.MapPost("/signin", SignInAsync);
        auth.MapPost("/signout", SignOutAsync);
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, PasswordSignIn signIn)
    {
        var cancellationToken = context.RequestAborted;
        if (!context.Request.HasFormContentType) return BackToSignIn(SignInError.MissingNameOrPassword, null, null);
        var form = await context.Request.ReadFormAsync(cancellationToken);
        string? name = form["username"], password = form["password"], returnUrl = form["returnUrl"];
        if (!await antiforgery.IsRequestValidAsync(context)) return BackToSignIn(SignInError.FormExpired, name, returnUrl);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password)) return BackToSignIn(SignInError.MissingNameOrPassword, name, returnUrl);

        var attempt = await signIn.AttemptAsync(name.Trim(), password, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (attempt.Error is { } error) return BackToSignIn(error, name, returnUrl, attempt.LockedUntil);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalPrincipal.For(attempt.User!));
        return Results.Redirect(LocalReturnUrl.Resolve(returnUrl));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, IAuditLog audit, ILoggerFactory loggers)
    {
        if (context.User.Identity is { IsAuthenticated: true, Name: { } name })
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Content("The sign-out form had expired: reload the page and sign out again.", "text/plain", statusCode: StatusCodes.Status400BadRequest);
            }
            var role = PortalPrincipal.RoleOf(context.User)?.ToString() ?? "none";
            await audit.RecordAsync(new AuditRecord(name, role, AuditActions.SignOut, null, null, "signed out"), context.RequestAborted);
            loggers.CreateLogger(typeof(SignInEndpoints)).LogInformation("{User} signed out", name);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(SignInPage);
    }

    /// <summary>The sign-in page again, with the reason and the name typed; never the password.</summary>
    private static IResult BackToSignIn(SignInError error, string? name, string? returnUrl, DateTime? lockedUntil = null)
    {
        var query = new Dictionary<string, string?> { ["error"] = error.ToString() };
        if (!string.IsNullOrWhiteSpace(name) && name.Length <= UserNamePolicy.MaximumLength) query["name"] = name.Trim();
        if (lockedUntil is { } until) query["until"] = until.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(returnUrl)) query["returnUrl"] = returnUrl;
        return Results.Redirect(QueryHelpers.AddQueryString(SignInPage, query));
    }
}
