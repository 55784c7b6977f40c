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

    [Theory]
    [InlineData(85, "IndexOptionsConflict", "An existing index has the same name as the requested index but different options")]
    [InlineData(86, "IndexKeySpecsConflict", "An existing index has the same name as the requested index. When index names are not specified")]
    [InlineData(11000, "DuplicateKey", "E11000 duplicate key error collection: botcore_portal.runs index: one_open_run_per_target")]
    public async Task An_index_that_cannot_be_created_at_start_names_the_collection_and_what_to_look_at(int code, string codeName, string message)
    {
        var reply = new BsonDocument { { "ok", 0 }, { "code", code }, { "codeName", codeName }, { "errmsg", message } };

        var e = await Assert.ThrowsAsync<MigrationEngineException>(() => PortalStoreFailures.GuardIndexesAsync("runs",
            () => Task.FromException(new MongoCommandException(Connection, "Command createIndexes failed", new BsonDocument("createIndexes", "runs"), reply))));

        Assert.StartsWith($"The indexes of the portal store's collection 'runs' cannot be created ({codeName}: {message}). ", e.Message);
        Assert.Contains("db.runs.getIndexes()", e.Message);
    }

    [Fact]
    public async Task Any_other_failure_of_index_creation_passes_as_it_is()
    {
        var reply = new BsonDocument { { "ok", 0 }, { "code", 67 }, { "codeName", "CannotCreateIndex" }, { "errmsg", "bad index key pattern" } };

        await Assert.ThrowsAsync<MongoCommandException>(() => PortalStoreFailures.GuardIndexesAsync("runs",
            () => Task.FromException(new MongoCommandException(Connection, "Command createIndexes failed", new BsonDocument("createIndexes", "runs"), reply))));
    }
}
