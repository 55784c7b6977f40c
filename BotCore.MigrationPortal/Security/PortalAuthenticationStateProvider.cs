using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// A Blazor circuit lives on one connection and sees no cookie checks after it starts. Checking the user store
/// every minute ends the session of a disabled account, and sends someone whose role changed through the sign-in
/// page, where the cookie is renewed with the new role.
/// </summary>
public sealed class PortalAuthenticationStateProvider(IUserStore users, ILoggerFactory loggerFactory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.Identity?.Name is not { } name) return false;
        var user = await users.FindAsync(name, cancellationToken);
        return user is { Disabled: false } && user.Role == PortalPrincipal.RoleOf(authenticationState.User);
    }
}
