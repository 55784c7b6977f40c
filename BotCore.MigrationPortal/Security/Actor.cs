namespace BotCore.MigrationPortal.Security;

/// <summary>
/// A person as the user store knows them at the moment of an act (see <see cref="ActionAuthorizer"/>): the role here is
/// the one that authorises the act and the one the audit log records.
/// </summary>
public sealed record Actor(string Name, Role Role)
{
    /// <summary>
    /// The name of the personal API token the person acts through (a pipeline), null in the browser or on the CLI. The rules
    /// read it where an act must stay a person's own in the browser (approving a run: four eyes).
    /// </summary>
    public string? Token { get; init; }

    public bool ViaToken => Token is not null;

    public bool Has(Role required) => Role >= required;

    public override string ToString() => $"{Name} ({Role})";
}
