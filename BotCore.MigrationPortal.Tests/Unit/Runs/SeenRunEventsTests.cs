using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Events;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>Following a run's events by re-reading: every event shown once, also when two writers commit out of sequence order.</summary>
public sealed class SeenRunEventsTests
{
    private static StoredRunEvent Event(long sequence) =>
        new() { RunId = "run-1", Sequence = sequence, Event = new RunEvent(DateTimeOffset.UnixEpoch, RunEventKind.Log, $"event {sequence}") };

    /// <summary>One poll: reads what is committed after <see cref="SeenRunEvents.ReadAfter"/>, as MongoRunEventStore.ReadAsync does.</summary>
    private static List<long> Poll(SeenRunEvents seen, IEnumerable<long> committed) =>
        committed.Where(sequence => sequence > seen.ReadAfter).Order().Select(Event).Where(seen.IsNew).Select(e => e.Sequence).ToList();

    [Fact]
    public void An_event_committed_after_a_later_one_was_read_is_shown_at_the_next_poll_and_nothing_twice()
    {
        var seen = new SeenRunEvents(afterSequence: 0);

        // The job took 2 and committed it; a person cancelling took 1 a moment earlier and commits it a moment later.
        var first = Poll(seen, [2]);
        var second = Poll(seen, [1, 2, 3]);
        var third = Poll(seen, [1, 2, 3]);

        Assert.Equal([2], first);
        Assert.Equal([1, 3], second);
        Assert.Empty(third);
    }

    [Fact]
    public void What_the_page_had_before_it_followed_is_never_shown_again()
    {
        var seen = new SeenRunEvents(afterSequence: 5);

        Assert.Equal([6, 7], Poll(seen, [1, 2, 3, 4, 5, 6, 7]));
        Assert.False(seen.IsNew(Event(5)));
    }

    [Fact]
    public void The_history_and_a_change_stream_that_both_carry_an_event_show_it_once()
    {
        var seen = new SeenRunEvents(afterSequence: 0);
        var history = new[] { 1L, 2, 3 }.Select(Event).Where(seen.IsNew).Count();

        var fromStream = new[] { 3L, 4 }.Select(Event).Where(seen.IsNew).Select(e => e.Sequence).ToList();

        Assert.Equal(3, history);
        Assert.Equal([4], fromStream);
    }

    [Fact]
    public void Re_reading_looks_back_a_window_below_the_highest_event_seen_not_the_whole_run()
    {
        var seen = new SeenRunEvents(afterSequence: 0);
        Poll(seen, Enumerable.Range(1, 500).Select(i => (long)i));

        Assert.Equal(500 - SeenRunEvents.LookBack, seen.ReadAfter);
        // A late commit inside the window is still shown; one far below it is taken for shown already.
        Assert.True(seen.IsNew(Event(1_000)));
        Assert.False(seen.IsNew(Event(1_000 - SeenRunEvents.LookBack)));
    }
}
