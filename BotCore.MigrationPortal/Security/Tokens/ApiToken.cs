using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>
/// A personal API token as the portal keeps it: never the secret, only its SHA-256 (see <see cref="ApiTokenSecret"/>). Who made it,
/// the role it is limited to, until when it holds, whether it was revoked, and when it was last used.
/// </summary>
public sealed record ApiToken
{
    /// <summary>A short public id, to name the token on the page and in the audit log (not a secret: it authenticates nothing).</summary>
    [BsonId] public required string Id { get; init; }

    /// <summary>The person it acts as, as the user store spells their name.</summary>
    public required string Owner { get; init; }

    /// <summary>What the person called it ("deploy pipeline").</summary>
    public required string Name { get; init; }

    /// <summary>The most it may do; at each use it acts with the lower of this and the owner's role then.</summary>
    public required Role Role { get; init; }

    /// <summary>The secret's SHA-256 in lower-case hex: what a request's token is looked up by.</summary>
    public required string Hash { get; init; }

    public required DateTime CreatedAt { get; init; }
    public required DateTime ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }

    /// <summary>When a request last used it, to the minute (uses are recorded at most once a minute).</summary>
    public DateTime? LastUsedAt { get; init; }

    /// <summary>The client address of that use.</summary>
    public string? LastUsedFrom { get; init; }

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTime now) => ExpiresAt <= now;
}
