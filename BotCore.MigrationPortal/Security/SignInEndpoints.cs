using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// The posts of the sign-in page and of the sign-out buttons. Plain HTTP endpoints, not components: setting and clearing
/// the cookie needs the response, which an interactive page no longer has.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPage = "/signin";
    public const string RateLimitPolicy = "sign-in";

    /// <summary>A sign-in form is a name, a password, a return address and a token: anything bigger is not one.</summary>
    public const int FormLimitBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The antiforgery token is checked in the handlers, so that an expired form gets an explanation, not a bare 400.
        var auth = endpoints.MapGroup("/auth").AllowAnonymous().DisableAntiforgery();
        auth.MapPost("/signin", SignInAsync).RequireRateLimiting(RateLimitPolicy);
        auth.MapPost("/signout", SignOutAsync);
        auth.MapPost("/signout-everywhere", SignOutEverywhereAsync);
        return endpoints;
    }

    /// <summary>
    /// Per client address (the real one behind a known proxy, see the forwarded headers), a few sign-in posts a minute:
    /// guessing is slow, and nobody can drown the accounts in attempts. Refusals are 429 with Retry-After.
    /// </summary>
    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Portal:SignIn:AttemptsPerMinute", 10);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(ClientOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                rejected.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEndpoints))
                    .LogWarning("Too many sign-in attempts from {Address}", ClientOf(rejected.HttpContext));
                await rejected.HttpContext.Response.WriteAsync(
                    $"Too many sign-in attempts from your address. Wait {seconds} seconds, then sign in again.", cancellationToken);
            };
        });
    }

    /// <summary>The client as the audit log, the lockout and the rate limit name it.</summary>
    public static string ClientOf(HttpContext context) => ClientOf(context.Connection.RemoteIpAddress);

    /// <summary>
    /// An IPv4 address as it is; an IPv6 address by its /64 network ("2001:db8:1:2::/64"): one subscriber is given a whole
    /// /64, and counted address by address they would get billions of fresh starts at the lockout and the rate limit.
    /// </summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        var network = address.GetAddressBytes();
        Array.Clear(network, 8, 8);
        return $"{new IPAddress(network)}/64";
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, PasswordSignIn signIn, SignInErrors errors,
        IUserStore users, CookieSecurity cookies, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Request.ContentLength > FormLimitBytes) return TooLarge();
        // The sign-in page posts a URL-encoded form. A multipart one could carry files past the value limits below, and
        // without a Content-Length nothing above refuses it: it is refused unread (the multipart limit is a second fence).
        if (!IsUrlEncodedForm(context.Request)) return NotAForm();
        IFormCollection form;
        try
        {
            context.Features.Set<IFormFeature>(new FormFeature(context.Request,
                new FormOptions { ValueCountLimit = 8, ValueLengthLimit = FormLimitBytes, MultipartBodyLengthLimit = FormLimitBytes }));
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return TooLarge();
        }
        string? name = form["username"], password = form["password"], returnUrl = form["returnUrl"];
        if (!await antiforgery.IsRequestValidAsync(context)) return BackToSignIn(errors, SignInError.FormExpired, name, returnUrl);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password)) return BackToSignIn(errors, SignInError.MissingNameOrPassword, name, returnUrl);
        if (!cookies.MaySignInOver(context.Request)) return BackToSignIn(errors, SignInError.HttpsRequired, name, returnUrl);

        var attempt = await signIn.AttemptAsync(name.Trim(), password, ClientOf(context), cancellationToken);
        if (attempt.User is not { } user) return BackToSignIn(errors, SignInError.WrongNameOrPassword, name, returnUrl);
        if (user.SecurityStamp is null)
        {
            // A user stored before security stamps gets one now, so that the session can be ended like any other.
            await users.RotateSecurityStampAsync(user.Name, cancellationToken);
            user = await users.FindAsync(user.Name, cancellationToken) ?? user;
        }
        var session = new SessionClaims(user.Name, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), user.SecurityStamp!,
            TruncatedToSeconds(time.GetUtcNow().UtcDateTime));
        // No ExpiresUtc here: a fixed one would replace the cookie's sliding idle limit. The maximum age is the session's
        // (its start is in the cookie), checked by SessionValidator at every request.
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalPrincipal.For(user, session));
        return Results.Redirect(LocalReturnUrl.Resolve(returnUrl));
    }

    /// <summary>Ends this session on the server (a copy of its cookie is refused from now on) and clears the cookie.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, IAuditLog audit, IEndedSessionStore ended,
        SessionValidator sessions, ILoggerFactory loggers)
    {
        if (SessionClaims.Of(context.User) is { } session)
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return FormExpired();
            await ended.EndAsync(session.SessionId, session.Name, sessions.ExpiresAt(session.StartedAt), context.RequestAborted);
            sessions.ForgetSession(session.SessionId);
            await audit.RecordAsync(new AuditRecord(session.Name, RoleOf(context), AuditActions.SignOut, null, null, $"signed out from {ClientOf(context)}"),
                context.RequestAborted);
            loggers.CreateLogger(typeof(SignInEndpoints)).LogInformation("{User} signed out", session.Name);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(SignInPage);
    }

    /// <summary>"Sign out everywhere": a new security stamp ends every session of the user, on every device and portal instance.</summary>
    private static async Task<IResult> SignOutEverywhereAsync(HttpContext context, IAntiforgery antiforgery, IAuditLog audit, IUserStore users,
        SessionValidator sessions, ILoggerFactory loggers)
    {
        if (SessionClaims.Of(context.User) is { } session)
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return FormExpired();
            await users.RotateSecurityStampAsync(session.Name, context.RequestAborted);
            sessions.ForgetUser(session.Name);
            await audit.RecordAsync(new AuditRecord(session.Name, RoleOf(context), AuditActions.SessionsEnded, null, null,
                $"signed out of all sessions from {ClientOf(context)}"), context.RequestAborted);
            loggers.CreateLogger(typeof(SignInEndpoints)).LogInformation("{User} signed out of all sessions", session.Name);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(SignInPage);
    }

    private static string RoleOf(HttpContext context) => PortalPrincipal.RoleOf(context.User)?.ToString() ?? "none";

    private static DateTime TruncatedToSeconds(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static IResult FormExpired() =>
        Results.Content("The sign-out form had expired: reload the page and sign out again.", "text/plain", statusCode: StatusCodes.Status400BadRequest);

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static IResult NotAForm() =>
        Results.Content("The sign-in form is sent as application/x-www-form-urlencoded, as the sign-in page sends it. Go back and sign in again.",
            "text/plain", statusCode: StatusCodes.Status415UnsupportedMediaType);

    private static IResult TooLarge() =>
        Results.Content($"The sign-in form was larger than {FormLimitBytes / 1024} KB: a name has at most {UserNamePolicy.MaximumLength} characters. Go back and sign in again.",
            "text/plain", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The sign-in page again, with the reason and the name typed (protected: see <see cref="SignInErrors"/>); never the password.</summary>
    private static IResult BackToSignIn(SignInErrors errors, SignInError error, string? name, string? returnUrl)
    {
        var shownName = !string.IsNullOrWhiteSpace(name) && UserNamePolicy.Problem(name.Trim()) is null ? name.Trim() : null;
        var url = string.IsNullOrWhiteSpace(returnUrl) ? SignInPage : $"{SignInPage}?returnUrl={WebUtility.UrlEncode(LocalReturnUrl.Resolve(returnUrl))}";
        return Results.Redirect(errors.AddTo(url, error, shownName));
    }
}
