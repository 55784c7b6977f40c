using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// The trades fix against a real MongoDB 7 replica set (skipped, with the reason, where there is none), in batches smaller than the
/// collection: it sets "PENDING" only where status is missing, run twice it changes nothing the second time, it journals both runs, and its
/// undo gives every trade back as it was, except one the application changed after the fix, which keeps the application's value.
/// </summary>
public sealed class FixIntegrationTests(MongoFixture mongo)
{
    private const int WithoutStatus = 1_200;
    private const int WithStatus = 300;
    private static readonly BatchOptions Batching = new(500, 0);
    private readonly EngineHarness engine = new();
    private readonly FixRunner runner = new(TimeProvider.System, NullLogger<FixRunner>.Instance);
    private readonly RegisteredFix fix = FixRegistry.FromAssembly(typeof(Migration).Assembly).Get("2026-12-02-trades-missing-status");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_twice_the_fix_changes_nothing_the_second_time_and_its_undo_restores_the_previous_values()
    {
        var (database, target) = await MigratedTo100Async();
        var trades = database.GetCollection<BsonDocument>("trades");
        await InsertTradesAsync(trades);
        var before = await AllAsync(trades);
        Assert.Equal(WithoutStatus, await target.CountNeedingFixAsync(fix.Definition, Token));

        var first = await runner.RunAsync(target, fix, new FixRunRequest("run-fix-1", "olga, approved by bob", Batching), new RecordingProgress(), Token);

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal((WithoutStatus, 0L), (first.DocumentsChanged, first.Remaining));
        var fixedOnce = await AllAsync(trades);
        Assert.All(fixedOnce, t => Assert.True(t.Contains("status")));
        Assert.Equal(WithoutStatus, fixedOnce.Count(t => t["status"] == "PENDING"));
        Assert.Equal(WithStatus, fixedOnce.Count(t => t["status"] == "FILLED"));
        Assert.Equal(WithoutStatus, await target.CountFixUndoRecordsAsync(fix.Id, Token));
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));

        var second = await runner.RunAsync(target, fix, new FixRunRequest("run-fix-2", "olga, approved by bob", Batching), new RecordingProgress(), Token);

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(0, second.DocumentsChanged);
        Assert.Equal(fixedOnce, await AllAsync(trades));
        Assert.Equal([(FixJournalEntry.Applied, (long)WithoutStatus, "run-fix-1"), (FixJournalEntry.Applied, 0L, "run-fix-2")],
            (await target.ReadFixJournalAsync(Token)).Select(e => (e.Action, e.DocumentsChanged, e.RunId)));
        Assert.All(await target.ReadFixJournalAsync(Token), e => Assert.Equal(fix.Checksum, e.Checksum));

        // The application moves one fixed trade on: the undo must keep its value.
        var moved = fixedOnce.First(t => t["status"] == "PENDING")["_id"];
        await trades.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", moved), Builders<BsonDocument>.Update.Set("status", "CANCELLED"), cancellationToken: Token);

        var undo = await runner.RunAsync(target, fix, new FixRunRequest("run-undo", "olga, approved by bob", Batching, Undo: true), new RecordingProgress(), Token);

        Assert.True(undo.Succeeded, undo.Error);
        Assert.Equal(WithoutStatus - 1, undo.DocumentsChanged);
        var after = await AllAsync(trades);
        Assert.Equal("CANCELLED", after.Single(t => t["_id"] == moved)["status"].AsString);
        Assert.Equal(before.Where(t => t["_id"] != moved), after.Where(t => t["_id"] != moved));
        Assert.Equal(0, await target.CountFixUndoRecordsAsync(fix.Id, Token));
        Assert.Equal(FixState.Undone, FixStatus.Of(fix, await target.ReadFixJournalAsync(Token)).State);
        Assert.Equal(SchemaVersion.Parse("1.0.0"), (await target.ReadHistoryAsync(Token)).Applied);
    }

    /// <summary>
    /// Under the trades validator's default strict level every update is validated, so a trade that was already invalid (here
    /// <c>side: "buy"</c>, inserted past the validator) cannot get its status: the server refuses that write with code 121, and in a
    /// transaction fails the whole batch. The fix must leave that trade, name it, and fix all the others; the undo likewise leaves a
    /// trade it may not restore (and keeps its record) and restores the others.
    /// </summary>
    [Fact]
    public async Task A_trade_the_validator_refuses_is_left_and_named_and_every_other_is_fixed_and_undone()
    {
        var (database, target) = await MigratedTo100Async();
        var trades = database.GetCollection<BsonDocument>("trades");
        await InsertTradesAsync(trades);
        var refused = new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "user_id", ObjectId.GenerateNewId() }, { "symbol", "BTCUSDT" }, { "side", "buy" },
            { "quantity", new Decimal128(2m) }, { "created_at", DateTime.UtcNow },
        };
        await mongo.AsAdmin(database).GetCollection<BsonDocument>("trades").InsertOneAsync(refused, new InsertOneOptions { BypassDocumentValidation = true }, Token);
        var before = await AllAsync(trades);

        var run = await runner.RunAsync(target, fix, new FixRunRequest("run-fix-1", "olga, approved by bob", Batching), new RecordingProgress(), Token);

        Assert.False(run.Succeeded);
        Assert.Equal((WithoutStatus, 1L), (run.DocumentsChanged, run.Remaining));
        Assert.Contains($"1 document left: the validator of trades refuses them: _id {refused["_id"]}", run.Summary);
        Assert.Contains("refused by the validator of trades", run.Error);
        var fixedOnce = await AllAsync(trades);
        Assert.False(fixedOnce.Single(t => t["_id"] == refused["_id"]).Contains("status"));
        Assert.Equal(WithoutStatus, fixedOnce.Count(t => t.GetValue("status", BsonNull.Value) == "PENDING"));
        Assert.Equal([(FixJournalEntry.Applied, (long)WithoutStatus)], (await target.ReadFixJournalAsync(Token)).Select(e => (e.Action, e.DocumentsChanged)));
        // The refused trade was not changed, so it keeps no undo record.
        Assert.Equal(WithoutStatus, await target.CountFixUndoRecordsAsync(fix.Id, Token));
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));

        // One fixed trade goes invalid past the validator: taking its status away would leave an invalid trade, so the undo may not.
        var stuck = fixedOnce.First(t => t.GetValue("status", BsonNull.Value) == "PENDING")["_id"];
        await mongo.AsAdmin(database).GetCollection<BsonDocument>("trades").UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", stuck),
            Builders<BsonDocument>.Update.Set("side", "sell"), new UpdateOptions { BypassDocumentValidation = true }, Token);

        var undo = await runner.RunAsync(target, fix, new FixRunRequest("run-undo", "olga, approved by bob", Batching, Undo: true), new RecordingProgress(), Token);

        Assert.False(undo.Succeeded);
        Assert.Equal((WithoutStatus - 1L, 1L), (undo.DocumentsChanged, undo.Remaining));
        Assert.Contains($"1 document left: the validator of trades refuses them: _id {stuck}", undo.Summary);
        var after = await AllAsync(trades);
        Assert.Equal("PENDING", after.Single(t => t["_id"] == stuck)["status"].AsString);
        Assert.Equal(before.Where(t => t["_id"] != stuck), after.Where(t => t["_id"] != stuck));
        Assert.Equal(1, await target.CountFixUndoRecordsAsync(fix.Id, Token));
    }

    private async Task<(IMongoDatabase Database, MongoMigrationTarget Target)> MigratedTo100Async()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);
        return (database, target);
    }

    /// <summary>Trades the 1.0.0 validator accepts, created now (the TTL index would expire old ones): most without a status, some FILLED.</summary>
    private static Task InsertTradesAsync(IMongoCollection<BsonDocument> trades)
    {
        var user = ObjectId.GenerateNewId();
        var now = DateTime.UtcNow;
        return trades.InsertManyAsync(Enumerable.Range(0, WithoutStatus + WithStatus).Select(i =>
        {
            var trade = new BsonDocument
            {
                { "_id", ObjectId.GenerateNewId() }, { "user_id", user }, { "symbol", i % 2 == 0 ? "BTCUSDT" : "ETHUSDT" }, { "side", "BUY" },
                { "quantity", new Decimal128(1.5m) }, { "created_at", now },
            };
            if (i % 5 == 0 && i / 5 < WithStatus) trade["status"] = "FILLED";
            return trade;
        }).ToList(), cancellationToken: Token);
    }

    private static async Task<List<BsonDocument>> AllAsync(IMongoCollection<BsonDocument> trades) =>
        await trades.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token);
}
