using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>On the fixture's replica set, a data step commits each batch with its checkpoint in one transaction.</summary>
public sealed class TransactionsIntegrationTests(MongoFixture mongo)
{
    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_replica_set_each_batch_of_a_data_step_commits_in_a_transaction_of_its_own()
    {
        var database = mongo.NewDatabase();
        var name = database.DatabaseNamespace.DatabaseName;
        var target = engine.Mongo(database.Client, name);
        Assert.Equal(TargetTopology.ReplicaSet, await target.ReadTopologyAsync(Token));
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);
        await database.GetCollection<BsonDocument>("users").InsertManyAsync(Enumerable.Range(0, 2_500).Select(i => new BsonDocument
        {
            { "email", $"trader{i}@botcore.example" }, { "password_hash", new string('x', 60) }, { "is_active", true }, { "created_at", DateTime.UtcNow },
        }), cancellationToken: Token);
        var committedBefore = await CommittedTransactionsAsync(database);

        var result = await engine.MigrateAsync(target, "1.1.0", batching: new BatchOptions(1_000, 0), cancellationToken: Token);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2_500, await database.GetCollection<BsonDocument>("paper_trading_accounts").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty,
            cancellationToken: Token));
        // Three batches of users (1,000, 1,000 and 500), one transaction each; other tests may commit theirs meanwhile.
        Assert.True(await CommittedTransactionsAsync(database) - committedBefore >= 3);
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty,
            cancellationToken: Token));
    }

    /// <summary>serverStatus' transactions.totalCommitted; as the administrator, since serverStatus needs clusterMonitor, which the portal's user has not.</summary>
    private async Task<long> CommittedTransactionsAsync(IMongoDatabase database)
    {
        var status = await mongo.AsAdmin(database).Client.GetDatabase("admin")
            .RunCommandAsync<BsonDocument>(new BsonDocument("serverStatus", 1), cancellationToken: Token);
        return status["transactions"]["totalCommitted"].ToInt64();
    }
}
