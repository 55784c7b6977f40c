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
        if (performance is null) return checks;
        var status = checks.Status;
        var evidence = new List<string> { checks.Evidence };
        if (performance.Queries.Count > 0)
        {
            evidence.AddRange(performance.Queries.Select(q => $"{q.Description} ({q.Collection}) before → after the run: {q.Comparison.Summary}"));
            if (performance.Queries.Any(q => q.Comparison.Verdict == ComparisonVerdict.Worse)) status = ItemStatus.Failed;
        }
        // A watch already over (the sandbox's) is part of the evidence now; a real one adds its summary when its window ends.
        if (performance.Watch is { Finished: true } watch) evidence.Add(watch.Summary);
        return (status, string.Join("; ", evidence));
    }
}
