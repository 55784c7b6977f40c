using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>Makes a new user from what a person typed, with the same rules for the Users page and the CLI.</summary>
public static class PortalUserFactory
{
    /// <returns>The user with the password hashed, or why it cannot be created.</returns>
    public static (PortalUser? User, string? Problem) Create(string name, Role role, string password, string createdBy, DateTime at,
        IPasswordHasher<PortalUser> hasher)
    {
        if (UserNamePolicy.Problem(name) is { } nameProblem) return (null, nameProblem);
        if (!Enum.IsDefined(role)) return (null, $"Unknown role {role}. Roles: {RoleNames.All}.");
        if (PasswordPolicy.Problem(password, name) is { } passwordProblem) return (null, passwordProblem);
        var user = new PortalUser { Name = name, Role = role, PasswordHash = "", CreatedAt = at, CreatedBy = createdBy, SecurityStamp = PortalUser.NewSecurityStamp() };
        return (user with { PasswordHash = hasher.HashPassword(user, password) }, null);
    }
}
