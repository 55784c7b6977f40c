using System.Globalization;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Engine.Phases;

/// <summary>
/// The documents of the change's collection that still lack the new field (how many, and the first few _ids), and those whose old
/// field holds another value than the new one: an application instance that still writes the old field only, whose value the
/// contract would drop.
/// </summary>
/// <param name="Simulated">Read from a simulated target, whose collections hold no documents: nothing was proven about the data.</param>
public sealed record FieldGap(long Count, IReadOnlyList<string> SampleIds, bool Simulated = false)
{
    public static FieldGap None { get; } = new(0, []);

    public long Diverged { get; init; }

    public IReadOnlyList<string> DivergedSampleIds { get; init; } = [];
}

/// <summary>Whether a contract may run on a target now, in one sentence, with the lines behind it.</summary>
/// <param name="ExpandApplied">The expand is applied on the target (the soak and the documents are only judged then).</param>
public sealed record ContractVerdict(bool Allowed, bool ExpandApplied, string Summary, IReadOnlyList<string> Evidence);

/// <summary>
/// The one rule of a contract phase (the run's checklist, the CLI's gates and the API reach it through the same pre-migration
/// check): its expand is applied on this target, at least the soak has passed since it was, and no document of the collection
/// still lacks the new field. The soak is measured from the target's own changelog, so a contract soaked on staging is not soaked
/// on production.
/// </summary>
public sealed class ContractGate(ExpandContractOptions options, TimeProvider time)
{
    /// <summary>The soak a contract waits: the configured one, or the contract's own minimum when that is longer.</summary>
    public TimeSpan SoakOf(ExpandContractPhase contract) =>
        contract.MinimumSoak is { } minimum && minimum > options.Soak ? minimum : options.Soak;

    /// <param name="gap">The documents lacking the new field; null when they were not read (the expand is not applied, so nothing is asked of them).</param>
    public ContractVerdict Evaluate(ExpandContractPhase contract, string target, TargetHistory history, FieldGap? gap)
    {
        if (contract is not { Kind: PhaseKind.Contract, Follows: { } expand })
        {
            throw new ArgumentException("Only a contract phase is gated.", nameof(contract));
        }
        var soak = SoakOf(contract);
        if (AppliedAt(expand, history) is not { } applied)
        {
            return new(false, false,
                $"expand {expand} of '{contract.Change}' is not applied on {target} (it is at {history.Applied}): apply {expand} first, " +
                $"let it soak {Hours(soak)}, then run the contract", []);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var age = now - applied;
        var soaked = age >= soak;
        var soakLine = $"expand {expand} applied {Stamp(applied)}, {Hours(age)} ago; soak {Hours(soak)}: " +
            (soaked ? "passed" : $"{Hours(soak - age, roundUp: true)} left, contract possible from {Stamp(applied + soak)}");
        var lacking = gap ?? FieldGap.None;
        var documentsLine = lacking.Count == 0
            ? $"no document of {contract.Collection} lacks {contract.NewField}" + (lacking.Simulated ? " (simulated: the sandbox's collections hold no documents)" : "")
            : $"{Counted.Of(lacking.Count, "document")} of {contract.Collection} still {Counted.Pick(lacking.Count, "lacks", "lack")} {contract.NewField}: " +
              $"run the expand's backfill again (or fix {Counted.Pick(lacking.Count, "it", "them")}) before the contract";
        var divergedLine = lacking.Diverged == 0 ? "" :
            $"; {Counted.Of(lacking.Diverged, "document")} of {contract.Collection} {Counted.Pick(lacking.Diverged, "holds", "hold")} a {contract.OldField} " +
            $"different from {contract.NewField}: an application instance still writes {contract.OldField} alone; stop it and copy the values " +
            "before the contract, which keeps such a value but would leave the document failing the tightened validator";
        var evidence = Samples(lacking.SampleIds, lacking.Count, $"lacks {contract.NewField}")
            .Concat(Samples(lacking.DivergedSampleIds, lacking.Diverged, $"holds a {contract.OldField} different from {contract.NewField}")).ToList();
        return new(soaked && lacking.Count == 0 && lacking.Diverged == 0, true, $"{soakLine}; {documentsLine}{divergedLine}", evidence);
    }

    private static IEnumerable<string> Samples(IReadOnlyList<string> ids, long count, string what) =>
        ids.Select(id => $"_id {id} {what}").Concat(count > ids.Count && ids.Count > 0 ? [$"… and {count - ids.Count:N0} more"] : []);

    /// <summary>
    /// When the expand's changes last came into the target: the finish of the newest changelog entry that left it applied, provided no later
    /// entry took it out again (a rollback restarts the soak on the next apply). A baselined entry counts from the adoption: the portal
    /// cannot know an earlier time.
    /// </summary>
    public static DateTime? AppliedAt(SchemaVersion expand, TargetHistory history)
    {
        if (history.Applied < expand) return null;
        var last = history.EntriesFor(expand).LastOrDefault(e => e.LeftApplied || e.LeftUndone);
        return last is { LeftApplied: true } ? DateTime.SpecifyKind(last.FinishedAt, DateTimeKind.Utc) : null;
    }

    private static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"26 h", "40 min": whole hours (down, or up for what is left, so that a wait is never understated), minutes under an hour.</summary>
    public static string Hours(TimeSpan span, bool roundUp = false)
    {
        if (span < TimeSpan.FromHours(1)) return $"{(int)Math.Max(0, roundUp ? Math.Ceiling(span.TotalMinutes) : Math.Floor(span.TotalMinutes))} min";
        return $"{(roundUp ? Math.Ceiling(span.TotalHours) : Math.Floor(span.TotalHours)).ToString("N0", CultureInfo.InvariantCulture)} h";
    }
}
