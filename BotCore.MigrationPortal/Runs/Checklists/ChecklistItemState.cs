namespace BotCore.MigrationPortal.Runs.Checklists;

public enum ItemStatus
{
    /// <summary>Not settled yet (a manual item not ticked, an automated one not evaluated).</summary>
    Open,
    Passed,
    Failed,
    Ticked,

    /// <summary>A failed requirement an Admin waived with a written reason.</summary>
    Overridden,

    /// <summary>Evaluated, but not required for this run (say, a staging run for a Development target).</summary>
    NotRequired,

    /// <summary>
    /// Settled on a simulated target (the sandbox), where what the item claims could not be proven: nothing blocked, nothing was
    /// shown either. It lets a sandbox run go on and is never shown as passed.
    /// </summary>
    Simulated,
}

/// <summary>How the integrity checks behind an automated item settle it.</summary>
public static class CheckSettling
{
    /// <summary>Failed when one blocks; simulated when none blocks but one could not run here; passed only when every one ran (a failed warning does not fail it).</summary>
    public static ItemStatus StatusOf(IEnumerable<Checks.CheckResult> results)
    {
        var all = results.ToList();
        if (all.Any(r => r.Blocks)) return ItemStatus.Failed;
        return all.Any(r => r.Outcome == Checks.CheckOutcome.Simulated) ? ItemStatus.Simulated : ItemStatus.Passed;
    }
}

/// <summary>Where one checklist item of one run stands, with its evidence or who ticked it.</summary>
public sealed record ChecklistItemState
{
    public required string ItemId { get; init; }
    public ItemStatus Status { get; init; }
    public string? Evidence { get; init; }
    public string? By { get; init; }
    public DateTime? At { get; init; }
    public string? Comment { get; init; }

    /// <summary>Settled in a way that lets the run go on.</summary>
    public bool IsSatisfied => Status is ItemStatus.Passed or ItemStatus.Ticked or ItemStatus.Overridden or ItemStatus.NotRequired or ItemStatus.Simulated;
}
