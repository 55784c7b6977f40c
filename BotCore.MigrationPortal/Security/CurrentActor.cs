using Microsoft.AspNetCore.Components.Authorization;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// The signed-in person as the server knows them now: the role comes from the user store on every call, not
/// from the cookie, so a role taken away or an account disabled takes effect at the next action.
/// </summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, IUserStore users)
{
    /// <exception cref="ActionRefusedException">Nobody is signed in, or the account is gone or disabled.</exception>
    public async Task<Actor> GetAsync(CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var name = state.User.Identity is { IsAuthenticated: true, Name: { } signedIn } ? signedIn : null;
        if (name is null) throw new ActionRefusedException("You are not signed in: sign in again.");
        var user = await users.FindAsync(name, cancellationToken);
        if (user is null || user.Disabled) throw new ActionRefusedException($"The account '{name}' no longer exists or is disabled: sign in with another account.");
        return new Actor(user.Name, user.Role);
    }
}
