using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Backups.Rehearsal;

/// <summary>
/// A backup restored into another target of a lower tier, to test migrations on production-like data (the spec's best practice 5):
/// where it went, the tiers at the time (the rule <see cref="RehearsalRules.CheckTiers"/> was asked with them) and the masking applied.
/// </summary>
public sealed record RehearsalRestore(string Destination, TargetTier SourceTier, TargetTier DestinationTier, IReadOnlyList<MaskingRule> Masking)
{
    /// <summary>"into staging (Staging), masking users.email hash", for the audit log and the restore's record.</summary>
    public string Describe() =>
        $"into {Destination} ({DestinationTier})" + (Masking.Count == 0 ? ", unmasked" : $", masking {string.Join("; ", Masking)}");
}
