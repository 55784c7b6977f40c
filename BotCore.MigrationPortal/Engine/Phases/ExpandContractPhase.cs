namespace BotCore.MigrationPortal.Engine.Phases;

public enum PhaseKind
{
    /// <summary>Adds the new field beside the old one (index, a validator that accepts both shapes) and backfills it.</summary>
    Expand,

    /// <summary>A later release: removes the old field and tightens the validator, once the expand has soaked.</summary>
    Contract,
}

/// <summary>
/// Which half of a named expand-contract change a migration is: the change in words, its collection, the old field and the new
/// one. A contract names the expand it follows (a lower version of the same change) and may ask for a longer soak than the
/// configured one; <see cref="ContractGate"/> holds the contract back until that soak has passed on the target.
/// </summary>
/// <param name="Change">What the two phases do together, e.g. "rename trades.qty to trades.quantity".</param>
/// <param name="Follows">The contract's expand version; null for an expand.</param>
/// <param name="MinimumSoak">A contract's own minimum time after its expand; the configured soak applies when it is longer.</param>
public sealed record ExpandContractPhase(PhaseKind Kind, string Change, string Collection, string OldField, string NewField,
    SchemaVersion? Follows = null, TimeSpan? MinimumSoak = null)
{
    public static ExpandContractPhase Expand(string change, string collection, string oldField, string newField) =>
        new(PhaseKind.Expand, change, collection, oldField, newField);

    public static ExpandContractPhase Contract(string change, string collection, string oldField, string newField, string follows,
        TimeSpan? minimumSoak = null) =>
        new(PhaseKind.Contract, change, collection, oldField, newField, SchemaVersion.Parse(follows), minimumSoak);

    /// <summary>Whether <paramref name="other"/> is the other half of the same change: same name, collection and fields.</summary>
    public bool SameChangeAs(ExpandContractPhase other) =>
        Change == other.Change && Collection == other.Collection && OldField == other.OldField && NewField == other.NewField;
}
