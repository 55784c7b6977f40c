namespace BotCore.MigrationPortal.Runs.Events;

/// <summary>
/// What a page following a run has already shown, so that no event is shown twice and none is skipped. A writer takes its
/// sequence number before it inserts, and two writers (the job and a person cancelling) may commit out of order: event 7 can
/// become visible after event 8 was read. So each read starts a window of <see cref="LookBack"/> sequences below the highest
/// seen (<see cref="ReadAfter"/>), and only events not yet seen pass.
/// </summary>
/// <param name="afterSequence">Where the page starts: events up to it were shown already.</param>
public sealed class SeenRunEvents(long afterSequence)
{
    /// <summary>How far below the highest sequence seen a late commit is still looked for: far more than the writers that can race.</summary>
    public const int LookBack = 100;

    private readonly long start = afterSequence;
    private readonly SortedSet<long> seen = [];
    private long highest = afterSequence;

    /// <summary>Read the events after this sequence: the events below it were all seen or are too late to show.</summary>
    public long ReadAfter => Math.Max(start, highest - LookBack);

    /// <summary>Whether the event is to be shown now; remembers it, so the same event is never shown again.</summary>
    public bool IsNew(StoredRunEvent stored)
    {
        if (stored.Sequence <= ReadAfter || !seen.Add(stored.Sequence)) return false;
        if (stored.Sequence > highest)
        {
            highest = stored.Sequence;
            // Below the window nothing is read again, so nothing there needs remembering.
            seen.RemoveWhere(sequence => sequence <= ReadAfter);
        }
        return true;
    }
}
