using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>
/// The <c>ApiToken</c> authentication scheme: <c>Authorization: Bearer bcp_…</c> signs the request in as the token's owner, with the
/// lower of the token's role and the owner's role now. A refused token gets 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>
/// and a problem body saying why; an address with too many refused tokens gets 429 with Retry-After (<see cref="ApiTokenFailureLimiter"/>).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, ApiTokenFailureLimiter failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenIdClaim = "botcore:token-id";
    public const string TokenNameClaim = "botcore:token";

    private const string Bearer = "Bearer ";
    private const string Realm = "BotCore Migration Portal";

    private string? refusal;
    private TimeSpan? blockedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var client = SignInEndpoints.ClientOf(Context);
        if (failures.Blocked(client) is { } wait)
        {
            blockedFor = wait;
            return AuthenticateResult.Fail("Too many refused tokens from this address.");
        }
        var result = await tokens.AuthenticateAsync(header[Bearer.Length..].Trim(), client, Context.RequestAborted);
        if (result.Problem is { } problem)
        {
            failures.CountFailure(client);
            refusal = problem;
            return AuthenticateResult.Fail(problem);
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, result.Owner!.Name),
            new Claim(ClaimTypes.Role, result.Role.ToString()),
            new Claim(TokenIdClaim, result.Token!.Id),
            new Claim(TokenNameClaim, result.Token.Name),
        ], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (blockedFor is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many refused tokens",
                detail: $"Too many refused API tokens from your address. Wait {seconds} seconds, then try again with a valid token.").ExecuteAsync(Context);
        }
        // RFC 6750: the error's description stays plain ASCII in the header; the problem body says exactly why.
        Response.Headers.WWWAuthenticate = refusal is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"The token is unknown, revoked or expired, or its owner is disabled\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
            detail: refusal ?? "Sign in to the portal, or send a personal API token (My tokens page) as 'Authorization: Bearer bcp_…'.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Refused", detail: "Your role does not allow this.").ExecuteAsync(Context);
}
