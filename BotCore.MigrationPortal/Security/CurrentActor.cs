using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Components.Authorization;

namespace BotCore.MigrationPortal.Security;

/// <summary>The signed-in person of a page: the session as a <see cref="Caller"/> for services, and as the store knows them now.</summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, ActionAuthorizer authorizer)
{
    /// <exception cref="ActionRefusedException">Nobody is signed in.</exception>
    public async Task<Caller> CallerAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return SessionClaims.Of(state.User) is { } session
            ? new SessionCaller(session)
            : throw new ActionRefusedException("You are not signed in: sign in again.");
    }

    /// <summary>The person as the user store knows them now, to decide what a page shows; every action reads them again.</summary>
    /// <exception cref="ActionRefusedException">Nobody is signed in, or the session no longer holds.</exception>
    public async Task<Actor> GetAsync(CancellationToken cancellationToken) => await authorizer.ActorAsync(await CallerAsync(), "open a page", cancellationToken);
}
