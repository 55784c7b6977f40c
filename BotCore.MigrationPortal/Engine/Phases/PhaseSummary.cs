namespace BotCore.MigrationPortal.Engine.Phases;

/// <summary>
/// A migration's phase in words, for the migration page: which half of which change it is, the other half (a version to link to),
/// and what holds the contract back.
/// </summary>
/// <param name="Other">The other half's version: the expand's contract (null when this build has none yet), or the contract's expand.</param>
public sealed record PhaseSummary(ExpandContractPhase Phase, string Headline, SchemaVersion? Other, string Sequel)
{
    public static PhaseSummary? Of(RegisteredMigration migration, MigrationRegistry registry, ContractGate gate)
    {
        if (migration.Phase is not { } phase) return null;
        var headline = $"{phase.Kind} phase of '{phase.Change}' ({phase.Collection}.{phase.OldField} → {phase.Collection}.{phase.NewField})";
        if (phase.Kind == PhaseKind.Contract)
        {
            return new(phase, headline, phase.Follows,
                $"gated by: expand {phase.Follows} applied on the target; no document of {phase.Collection} lacks {phase.NewField}; " +
                $"soak {ContractGate.Hours(gate.SoakOf(phase))} since the expand was applied on that target");
        }
        var contract = ExpandContractRules.ContractOf(registry.Migrations, migration);
        return contract is null
            ? new(phase, headline, null, $"no contract in this build yet: one may follow after a soak of {ContractGate.Hours(gate.SoakOf(phase))}")
            : new(phase, headline, contract.Version, $"after a soak of {ContractGate.Hours(gate.SoakOf(contract.Phase!))}");
    }
}
