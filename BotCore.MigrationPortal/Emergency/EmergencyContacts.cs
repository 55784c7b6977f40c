using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;

namespace BotCore.MigrationPortal.Emergency;

/// <summary>
/// Who to call when a run on a target of some tier fails, from <c>Portal:EmergencyContacts:&lt;Tier&gt;</c> (a list of
/// <c>{ Role, Name, Reach }</c>). A tier with none configured gets the spec's "Emergency contacts", the DBA on-call and the DevOps lead,
/// marked as not configured. The run page shows them on a failed run; failure notifications call <see cref="For"/> for the same list.
/// </summary>
public sealed class EmergencyContacts
{
    public const string Section = "Portal:EmergencyContacts";

    /// <summary>The spec's roles ("Emergency Contacts": DBA On-Call, DevOps Lead), whose contact info it leaves to each team.</summary>
    public static readonly IReadOnlyList<string> SpecRoles = ["DBA on-call", "DevOps lead"];

    private readonly IReadOnlyDictionary<TargetTier, IReadOnlyList<EmergencyContact>> configured;

    /// <exception cref="InvalidOperationException">The section names a tier that does not exist or a contact without role, name or reach: the portal does not start.</exception>
    public EmergencyContacts(IConfiguration configuration)
    {
        var byTier = new Dictionary<TargetTier, IReadOnlyList<EmergencyContact>>();
        foreach (var tier in configuration.GetSection(Section).GetChildren())
        {
            if (!Enum.TryParse<TargetTier>(tier.Key, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new InvalidOperationException($"{Section}:{tier.Key} is not a tier; the tiers are {string.Join(", ", Enum.GetNames<TargetTier>())}.");
            }
            var contacts = tier.GetChildren().Select(c => new EmergencyContact(c["Role"] ?? "", c["Name"] ?? "", c["Reach"] ?? "")).ToList();
            if (contacts.FirstOrDefault(c => string.IsNullOrWhiteSpace(c.Role) || string.IsNullOrWhiteSpace(c.Name) || string.IsNullOrWhiteSpace(c.Reach)) is { } incomplete)
            {
                throw new InvalidOperationException($"{Section}:{tier.Key} has a contact without Role, Name or Reach ({incomplete.Role}/{incomplete.Name}/{incomplete.Reach}): give all three.");
            }
            byTier[parsed] = contacts;
        }
        configured = byTier;
    }

    /// <summary>Whether a run in this state needs someone to act: it failed, is rolling back, or its rollback failed.</summary>
    public static bool Needed(RunState state) => state is RunState.Failed or RunState.RollingBack or RunState.RollbackFailed;

    /// <summary>The contacts of a tier: those configured, else the spec's roles, not configured.</summary>
    public IReadOnlyList<EmergencyContact> For(TargetTier tier) =>
        configured.TryGetValue(tier, out var contacts) && contacts.Count > 0
            ? contacts
            : SpecRoles.Select(role => new EmergencyContact(role, "not configured", $"set {Section}:{tier} in the portal's configuration", Configured: false)).ToList();
}
