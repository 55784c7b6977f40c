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

    /// <summary>
    /// Changes whenever every session of the user must end (password reset, role change, disabling, "sign out
    /// everywhere"); each session carries the stamp it started with. Null only for a user stored before stamps existed.
    /// </summary>
    public string? SecurityStamp { get; init; }

    public int FailedAttempts { get; init; }
    public DateTime? LockedUntil { get; init; }

    /// <summary>
    /// The client addresses that gave wrong passwords since the count last restarted, newest last: a lock holds for them,
    /// so that an anonymous client cannot lock the account's owner out (see <see cref="LockoutPolicy"/>).
    /// </summary>
    public IReadOnlyList<string> FailingClients { get; init; } = [];
    public bool Disabled { get; init; }
    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    // Value equality over the list too: a record compares lists by reference, and two reads of one user are one user.
    public bool Equals(PortalUser? other) =>
        other is not null && Name == other.Name && Role == other.Role && PasswordHash == other.PasswordHash && SecurityStamp == other.SecurityStamp
        && FailedAttempts == other.FailedAttempts && LockedUntil == other.LockedUntil && FailingClients.SequenceEqual(other.FailingClients)
        && Disabled == other.Disabled && CreatedAt == other.CreatedAt && CreatedBy == other.CreatedBy;

    public override int GetHashCode() => HashCode.Combine(Id, Role, SecurityStamp, FailedAttempts, LockedUntil, Disabled);

    /// <summary>A new random security stamp: every session started before it ends.</summary>
    public static string NewSecurityStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
