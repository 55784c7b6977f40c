namespace BotCore.MigrationPortal.Engine.Phases;

/// <summary>
/// What the migrations of a build must say about their phases, checked when the registry is built (a wrong declaration stops the
/// portal and the CLI at start-up, never a run halfway): a contract follows an expand of the same change at a lower version, and
/// an expand has at most one contract.
/// </summary>
public static class ExpandContractRules
{
    /// <param name="migrations">In version order.</param>
    /// <exception cref="InvalidOperationException">A phase is declared inconsistently; the message says which and why.</exception>
    public static void Validate(IReadOnlyList<RegisteredMigration> migrations)
    {
        foreach (var contract in migrations.Where(m => m.Phase?.Kind == PhaseKind.Contract))
        {
            var phase = contract.Phase!;
            var named = $"Migration {contract.Version} ({contract.SourceFileName}) is the contract phase of '{phase.Change}'";
            var expand = migrations.FirstOrDefault(m => m.Version == phase.Follows)
                ?? throw new InvalidOperationException($"{named} and follows expand {phase.Follows}, but this build has no migration {phase.Follows}.");
            if (expand.Version >= contract.Version)
            {
                throw new InvalidOperationException($"{named}, but the expand it follows, {expand.Version}, is not a lower version: the contract must come after its expand.");
            }
            if (expand.Phase is not { Kind: PhaseKind.Expand } declared)
            {
                throw new InvalidOperationException($"{named} and follows {expand.Version}, but {expand.Version} does not declare itself the expand phase of that change.");
            }
            if (!declared.SameChangeAs(phase))
            {
                throw new InvalidOperationException($"{named} ({Fields(phase)}), but expand {expand.Version} declares '{declared.Change}' ({Fields(declared)}): " +
                    "both phases must name the same change, collection and fields.");
            }
            if (phase.MinimumSoak is { } soak && soak < TimeSpan.Zero)
            {
                throw new InvalidOperationException($"{named} with a negative minimum soak ({soak}).");
            }
        }
        var twice = migrations.Where(m => m.Phase?.Kind == PhaseKind.Contract).GroupBy(m => m.Phase!.Follows).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException($"Expand {twice.Key} is followed by more than one contract ({string.Join(", ", twice.Select(m => m.Version))}): " +
                "one change has one contract.");
        }
    }

    /// <summary>The contract of the expand <paramref name="expand"/>, when this build has one.</summary>
    public static RegisteredMigration? ContractOf(IEnumerable<RegisteredMigration> migrations, RegisteredMigration expand) =>
        expand.Phase?.Kind == PhaseKind.Expand ? migrations.FirstOrDefault(m => m.Phase?.Kind == PhaseKind.Contract && m.Phase.Follows == expand.Version) : null;

    private static string Fields(ExpandContractPhase phase) => $"{phase.Collection}.{phase.OldField} → {phase.Collection}.{phase.NewField}";
}
