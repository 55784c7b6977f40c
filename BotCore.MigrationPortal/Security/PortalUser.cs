using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Security;

/// <summary>A person who may sign in to the portal, kept in the portal store.</summary>
public sealed record PortalUser
{
    /// <summary>The sign-in name, unique regardless of case (the id is its lower-case form).</summary>
    [BsonId] public string Id => Name.ToLowerInvariant();

    public required string Name { get; init; }
    public required Role Role { get; init; }

    /// <summary>ASP.NET Core's <c>PasswordHasher</c> output; the password itself is never stored.</summary>
    public required string PasswordHash { get; init; }

    public int FailedAttempts { get; init; }
    public DateTime? LockedUntil { get; init; }
    public bool Disabled { get; init; }
    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
}
