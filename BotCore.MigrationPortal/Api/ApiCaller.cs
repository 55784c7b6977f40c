using System.Security.Claims;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;

namespace BotCore.MigrationPortal.Api;

/// <summary>Who an API request acts as: the person behind its token, or the signed-in session of its cookie.</summary>
public static class ApiCaller
{
    public static Caller Of(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ApiTokenAuthenticationHandler.TokenIdClaim) is { } tokenId
            ? new TokenCaller(principal.Identity!.Name!, tokenId)
            : PortalPrincipal.CallerOf(principal);

    public static bool ViaToken(ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == ApiTokenAuthenticationHandler.TokenIdClaim);
}
