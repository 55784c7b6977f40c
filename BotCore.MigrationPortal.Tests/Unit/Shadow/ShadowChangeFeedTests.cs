using BotCore.MigrationPortal.Engine.Shadow;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Shadow;

/// <summary>When a catch-up of the shadow's change stream may stop, and how long the swap leaves the collection's name free.</summary>
public sealed class ShadowChangeFeedTests
{
    private static readonly BsonTimestamp Reach = new(1_700_000_000, 5);

    [Fact]
    public void The_opening_aggregates_first_batch_never_counts_as_caught_up_even_empty()
    {
        // The driver hands it out without a getMore: it has read nothing yet (the copy's whole backlog may be ahead).
        Assert.False(ShadowChangeFeed.CaughtUp(fromServer: false, [], Reach));
        Assert.False(ShadowChangeFeed.CaughtUp(fromServer: false, [new BsonTimestamp(1_700_000_001, 0)], Reach));
    }

    [Fact]
    public void A_getMore_that_found_nothing_or_passed_the_last_write_noted_at_the_start_is_caught_up()
    {
        Assert.True(ShadowChangeFeed.CaughtUp(fromServer: true, [], Reach));
        Assert.True(ShadowChangeFeed.CaughtUp(fromServer: true, [new BsonTimestamp(1_700_000_000, 1), Reach], Reach));
        Assert.True(ShadowChangeFeed.CaughtUp(fromServer: true, [new BsonTimestamp(1_700_000_001, 0)], Reach));
    }

    [Fact]
    public void A_short_batch_still_before_the_last_write_is_not_caught_up_as_the_server_also_cuts_batches_at_16_MB()
    {
        Assert.False(ShadowChangeFeed.CaughtUp(fromServer: true, [new BsonTimestamp(1_700_000_000, 4)], Reach));
    }

    [Fact]
    public void Without_a_last_write_a_getMore_short_of_full_counts_as_caught_up()
    {
        Assert.True(ShadowChangeFeed.CaughtUp(fromServer: true, [new BsonTimestamp(1, 1)], reach: null));
        Assert.False(ShadowChangeFeed.CaughtUp(fromServer: true, Enumerable.Repeat<BsonTimestamp?>(new BsonTimestamp(1, 1), 1000).ToList(), reach: null));
    }

    [Fact]
    public void The_swap_waits_for_its_rename_only_a_few_seconds_while_the_name_is_free()
    {
        Assert.InRange(ShadowChangeFeed.RenameWait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
    }
}
