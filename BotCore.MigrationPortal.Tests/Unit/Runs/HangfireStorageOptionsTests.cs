using BotCore.MigrationPortal.Runs;
using Hangfire.Mongo;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>How Hangfire's workers learn of an enqueued job on each kind of portal store.</summary>
public sealed class HangfireStorageOptionsTests
{
    [Fact]
    public void A_replica_set_or_mongos_store_is_watched_through_a_change_stream()
    {
        Assert.Equal(CheckQueuedJobsStrategy.Watch, RunServices.HangfireStorageOptions(supportsChangeStreams: true).CheckQueuedJobsStrategy);
    }

    [Fact]
    public void A_single_server_store_tails_the_notifications_collection_instead_of_waiting_for_the_next_poll()
    {
        var options = RunServices.HangfireStorageOptions(supportsChangeStreams: false);

        Assert.Equal(CheckQueuedJobsStrategy.TailNotificationsCollection, options.CheckQueuedJobsStrategy);
        // Hangfire.Mongo refuses TailNotificationsCollection without capped collections, and creates the notifications collection only with them.
        Assert.True(options.SupportsCappedCollection);
    }
}
