using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// A Blazor circuit lives on one connection and sees no cookie checks after it starts. Checking the session every few
/// seconds (<see cref="SessionPolicy.PageRecheckSeconds"/>) turns an open page anonymous soon after its session ends
/// (signed out in another tab, password or role changed, account disabled, sessions ended by an Admin), and the page
/// then sends the person to the sign-in page. Actions do not wait for this: each one reads the person again.
/// </summary>
public sealed class PortalAuthenticationStateProvider(SessionValidator sessions, SessionPolicy options, ILoggerFactory loggerFactory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.PageRecheck;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (SessionClaims.Of(authenticationState.User) is not { } session) return false;
        var check = await sessions.CheckAsync(session, cached: false, cancellationToken);
        return check.Holds && check.User!.Role == PortalPrincipal.RoleOf(authenticationState.User);
    }
}
