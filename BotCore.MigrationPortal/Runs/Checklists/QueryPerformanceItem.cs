using BotCore.MigrationPortal.Performance;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// The checklist's "Checked query performance": the post-run explain checks (is each critical query answered by its index), and beside
/// them each query's numbers before and after the run. A query that got worse (lost its index, or examines more than twice as much for
/// what it returns) fails the item, so that it is seen: it does not roll anything back. The slow-operation watch adds its summary when it ends.
/// </summary>
public static class QueryPerformanceItem
{
    /// <param name="checks">What the explain checks settled, as the other check-backed items are.</param>
    public static (ItemStatus Status, string Evidence) Settle((ItemStatus Status, string Evidence) checks, RunPerformance? performance)
    {
        if (performance is not { Queries.Count: > 0 } measured) return checks;
        var comparisons = measured.Queries.Select(q => $"{q.Description} ({q.Collection}) before → after the run: {q.Comparison.Summary}");
        var worse = measured.Queries.Any(q => q.Comparison.Verdict == ComparisonVerdict.Worse);
        var status = worse ? ItemStatus.Failed : checks.Status == ItemStatus.NotRequired ? ItemStatus.Passed : checks.Status;
        if (checks.Status == ItemStatus.NotRequired && measured.Queries.All(q => q.Comparison.Verdict == ComparisonVerdict.NotCompared))
        {
            status = measured.Queries.All(q => q.After?.Simulated == true) ? ItemStatus.Simulated : ItemStatus.NotRequired;
        }
        return (status, $"{checks.Evidence}; {string.Join("; ", comparisons)}");
    }
}
