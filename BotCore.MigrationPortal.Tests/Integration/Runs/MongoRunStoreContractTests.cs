using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Tests.Unit.Runs;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration.Runs;

/// <summary>The run store contract against a real MongoDB 7 (skipped, with the reason, where there is none).</summary>
public sealed class MongoRunStoreContractTests(MongoFixture mongo) : RunStoreContract
{
    private IMongoDatabase? database;

    protected override async Task<IRunStore> CreateStoreAsync()
    {
        database = mongo.NewStoreDatabase();
        var store = new MongoRunStore(new PortalDatabase(database, "integration-test", SupportsChangeStreams: false));
        await store.EnsureIndexesAsync(Token);
        return store;
    }

    [Fact]
    public async Task The_open_runs_are_read_through_the_one_open_run_per_target_index()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.TryInsertAsync(Run("run-1", "dev", RunState.AwaitingApproval), Token));
        Assert.Null(await store.TryInsertAsync(Run("run-0", "dev", RunState.Succeeded), Token));
        var before = await UsesOfOpenRunIndexAsync();

        Assert.Equal("run-1", Assert.Single(await store.OpenAsync(Token)).Id);

        Assert.True(await UsesOfOpenRunIndexAsync() > before, "the open runs were not read through the one_open_run_per_target index");
    }

    /// <summary>
    /// How many operations used the index ($indexStats' accesses.ops), read as the administrator: the store's user has readWrite only,
    /// which does not grant indexStats.
    /// </summary>
    private async Task<long> UsesOfOpenRunIndexAsync()
    {
        var runs = mongo.AsAdmin(database!).GetCollection<BsonDocument>(MongoRunStore.CollectionName);
        var stats = await runs.Aggregate().AppendStage<BsonDocument>(new BsonDocument("$indexStats", new BsonDocument()))
            .Match(new BsonDocument("name", MongoRunStore.OneOpenRunPerTarget)).SingleAsync(Token);
        return stats["accesses"]["ops"].ToInt64();
    }
}
