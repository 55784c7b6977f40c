using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// A password hash made like every user's, checked when a name is unknown so that an unknown name costs the same
/// verification as a known one: how long the answer takes says nothing about which names exist.
/// </summary>
public sealed class UnknownUserHash(IPasswordHasher<PortalUser> hasher)
{
    public static PortalUser Nobody { get; } = new() { Name = "nobody", Role = Role.Viewer, PasswordHash = "", CreatedBy = "nobody" };

    public string Hash { get; } = hasher.HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
}
