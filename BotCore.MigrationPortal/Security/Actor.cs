namespace BotCore.MigrationPortal.Security;

/// <summary>The signed-in person an action is done by. Services check the role on the server, whatever the page showed.</summary>
public sealed record Actor(string Name, Role Role)
{
    public bool Has(Role required) => Role >= required;

    /// <exception cref="ActionRefusedException">The actor's role is below <paramref name="required"/>.</exception>
    public void Require(Role required, string action)
    {
        if (!Has(required))
        {
            throw new ActionRefusedException($"{Name} ({Role}) may not {action}: it needs the {required} role.");
        }
    }

    public override string ToString() => $"{Name} ({Role})";
}
