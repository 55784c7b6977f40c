namespace BotCore.MigrationPortal.Security;

/// <summary>Roles by name, as the CLI, the role claim and configuration spell them.</summary>
public static class RoleNames
{
    public static string All => string.Join(", ", Enum.GetNames<Role>());

    /// <summary>The role named <paramref name="text"/> (any case); numbers are not names, so "3" is no role.</summary>
    public static Role? Parse(string? text) =>
        Enum.GetValues<Role>().Cast<Role?>().FirstOrDefault(role => string.Equals(role.ToString(), text, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the role may do, in a few words, where a role is chosen.</summary>
    public static string Describe(Role role) => role switch
    {
        Role.Viewer => "sees everything, acts on nothing",
        Role.Operator => "creates runs, ticks checklists, requests approval, starts approved runs",
        Role.Approver => "also approves other people's runs and restores backups",
        Role.Admin => "also manages users and opens the job dashboard",
        _ => "",
    };
}
