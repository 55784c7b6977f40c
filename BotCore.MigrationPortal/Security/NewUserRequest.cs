namespace BotCore.MigrationPortal.Security;

/// <summary>What the Add user dialog asks for. A class, not a record: a record would print the password in ToString.</summary>
public sealed class NewUserRequest(string name, Role role, string password)
{
    public string Name { get; } = name;
    public Role Role { get; } = role;
    public string Password { get; } = password;
}
