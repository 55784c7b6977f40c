namespace BotCore.MigrationPortal.Security;

/// <summary>
/// A person as the user store knows them at the moment of an act (see <see cref="ActionAuthorizer"/>): the role here is
/// the one that authorises the act and the one the audit log records.
/// </summary>
public sealed record Actor(string Name, Role Role)
{
    public bool Has(Role required) => Role >= required;

    public override string ToString() => $"{Name} ({Role})";
}
