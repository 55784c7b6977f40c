using System.Net;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>The one translation of driver failures the portal's MongoDB stores wrap their calls in.</summary>
public sealed class PortalStoreFailuresTests
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("store.internal", 27017)));

    [Fact]
    public async Task A_store_that_does_not_answer_becomes_one_sentence_a_page_shows_as_a_refusal()
    {
        var e = await Assert.ThrowsAsync<PortalStoreUnavailableException>(() =>
            PortalStoreFailures.GuardAsync(() => Task.FromException<int>(new TimeoutException("A timeout occurred after 30000ms selecting a server"))));

        Assert.IsAssignableFrom<MigrationEngineException>(e);
        Assert.Equal("The portal store could not be used: no server answered in time. Try again when it answers; reload the page to see what was saved.", e.Message);
        Assert.DoesNotContain("store.internal", e.Message);
    }

    [Fact]
    public async Task A_failover_that_outlasts_the_driver_s_retry_is_an_outage_too()
    {
        var reply = new BsonDocument { { "ok", 0 }, { "code", 10107 }, { "codeName", "NotWritablePrimary" } };

        var e = await Assert.ThrowsAsync<PortalStoreUnavailableException>(() =>
            PortalStoreFailures.GuardAsync(() => Task.FromException(new MongoNotPrimaryException(Connection, new BsonDocument("insert", "runs"), reply))));

        Assert.Contains("the replica set is changing its primary (a failover)", e.Message);
    }

    [Fact]
    public async Task Any_other_failure_passes_unchanged()
    {
        var bug = new InvalidOperationException("a bug");

        Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => PortalStoreFailures.GuardAsync(() => Task.FromException(bug))));
    }

    [Fact]
    public async Task A_stream_that_loses_its_store_midway_ends_in_the_same_sentence_after_what_it_read()
    {
        var read = new List<int>();

        var e = await Assert.ThrowsAsync<PortalStoreUnavailableException>(async () =>
        {
            await foreach (var item in PortalStoreFailures.Guard(TwoThenTimeout(), TestContext.Current.CancellationToken)) read.Add(item);
        });

        Assert.Equal([1, 2], read);
        Assert.StartsWith("The portal store could not be used: no server answered in time.", e.Message);
    }

    private static async IAsyncEnumerable<int> TwoThenTimeout()
    {
        yield return 1;
        yield return 2;
        await Task.Yield();
        throw new TimeoutException("A timeout occurred");
    }
}
