using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>
/// Who may make and revoke API tokens, what a new one may be, and whether a token may act now: asked by the tokens page (to show
/// what is offered), by <see cref="ApiTokens"/> (to act) and by <see cref="ActionAuthorizer"/> at every act done with a token.
/// </summary>
public static class ApiTokenRules
{
    /// <summary>The longest a token holds: a leaked one stops working within a quarter at most, and pipelines renew theirs.</summary>
    public const int LongestLifetimeDays = 90;

    public const int NameMaximumLength = 60;

    /// <summary>How often a token's use is recorded (its last use, and an audit entry): at most once a minute per token.</summary>
    public static TimeSpan UseRecordedEvery { get; } = TimeSpan.FromMinutes(1);

    /// <summary>May <paramref name="actor"/> create a token limited to <paramref name="role"/>: in the browser, and at most their own role.</summary>
    public static Verdict CheckCreate(Actor actor, Role role) => Verdict.All(
        () => actor.ViaToken ? Verdict.No("A token cannot create tokens: sign in to the portal and create one on the My tokens page.") : Verdict.Yes,
        () => role <= actor.Role
            ? Verdict.Yes
            : Verdict.No($"{actor.Name} ({actor.Role}) may not create a token with the {role} role: a token's role is at most its creator's."));

    /// <summary>May <paramref name="actor"/> revoke <paramref name="token"/>: their own, once.</summary>
    public static Verdict CheckRevoke(Actor actor, ApiToken token) => Verdict.All(
        () => Owns(actor, token) ? Verdict.Yes : Verdict.No($"{actor.Name} may not revoke token {token.Id}: it is {token.Owner}'s."),
        () => token.IsRevoked ? Verdict.No($"Token '{token.Name}' was revoked already, by {token.RevokedBy} at {token.RevokedAt:u}.") : Verdict.Yes);

    /// <returns>The name trimmed.</returns>
    /// <exception cref="BadInputException">It is empty or longer than <see cref="NameMaximumLength"/>.</exception>
    public static string Name(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw new BadInputException("Name the token (what uses it, e.g. \"deploy pipeline\"), so that you know which one to revoke.");
        if (trimmed.Length > NameMaximumLength || trimmed.Any(char.IsControl))
        {
            throw new BadInputException($"A token's name is one line of at most {NameMaximumLength} characters; this one has {trimmed.Length}.");
        }
        return trimmed;
    }

    /// <exception cref="BadInputException"><paramref name="days"/> is not between 1 and <see cref="LongestLifetimeDays"/>.</exception>
    public static TimeSpan Lifetime(int days) => days is >= 1 and <= LongestLifetimeDays
        ? TimeSpan.FromDays(days)
        : throw new BadInputException($"A token holds between 1 and {LongestLifetimeDays} days, not {days}.");

    /// <summary>Why <paramref name="token"/> may not act at <paramref name="now"/>, given its owner as the store knows them now; null when it may.</summary>
    public static string? Problem(ApiToken? token, PortalUser? owner, DateTime now) => token switch
    {
        null => "The token is not known to the portal (mistyped, or deleted).",
        { IsRevoked: true } => $"Token '{token.Name}' was revoked by {token.RevokedBy} at {token.RevokedAt:u}.",
        _ when token.IsExpired(now) => $"Token '{token.Name}' expired at {token.ExpiresAt:u}: create a new one on the My tokens page.",
        _ when owner is null || !string.Equals(owner.Name, token.Owner, StringComparison.OrdinalIgnoreCase) =>
            $"The account '{token.Owner}' of token '{token.Name}' no longer exists.",
        _ when owner.Disabled => $"The account '{owner.Name}' of token '{token.Name}' is disabled.",
        _ => null,
    };

    /// <summary>What a token acts with: the lower of its own role and its owner's role now (a demoted owner's tokens follow at once).</summary>
    public static Role EffectiveRole(ApiToken token, PortalUser owner) => token.Role < owner.Role ? token.Role : owner.Role;

    private static bool Owns(Actor actor, ApiToken token) => string.Equals(actor.Name, token.Owner, StringComparison.OrdinalIgnoreCase);
}
