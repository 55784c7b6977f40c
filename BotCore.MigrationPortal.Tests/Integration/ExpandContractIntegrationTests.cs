using BotCore.MigrationPortal.Checks.Pre;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// The expand-contract example (rename trades.qty to trades.quantity) against a real MongoDB 7 replica set (skipped, with the reason,
/// where there is none): 10,000 legacy trades, an old application and a dual-writing one writing while the expand's backfill runs,
/// the contract's gate counting what the backfill missed, a second pass, the contract, and the contract's rollback.
/// </summary>
/// <remarks>
/// Traced against the manual: an update with an aggregation pipeline (<c>[{ $set: { quantity: "$qty" } }]</c>) reads the document's
/// own field; <c>$exists: false</c> matches only documents without the field (a null value exists); a collMod validator is not applied
/// to existing documents until they are modified, and with validationLevel "moderate" an update of a document that was already
/// invalid is not checked; an insert or update the validator refuses fails with DocumentValidationFailure (121).
/// </remarks>
public sealed class ExpandContractIntegrationTests(MongoFixture mongo)
{
    private const int Trades = 10_000;

    /// <summary>ErrorCodes::DocumentValidationFailure (src/mongo/base/error_codes.yml).</summary>
    private const int DocumentValidationFailure = 121;

    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    private readonly EngineHarness engine = new(ExpandContractExamples.Registry);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Expand_backfill_with_concurrent_writers_then_contract_then_its_rollback_keep_every_trades_quantity()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var trades = database.GetCollection<BsonDocument>("trades");
        // Written by the old application before the spec's validator required quantity: legacy data, as the example's story has it.
        await trades.InsertManyAsync(Enumerable.Range(0, Trades).Select(i => OldShape(i)), new InsertManyOptions { BypassDocumentValidation = true }, Token);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var writers = Task.WhenAll(OldApplicationAsync(trades, stop.Token), DualWritingApplicationAsync(trades, stop.Token));
        var expand = await engine.MigrateAsync(target, ExpandContractExamples.Expand, batching: new Engine.Batching.BatchOptions(500, 0), cancellationToken: Token);
        await stop.CancelAsync();
        var written = await writers;

        Assert.Equal(RunOutcome.Succeeded, expand.Outcome);
        Assert.True(written.Sum() > 0, "the writers wrote nothing during the backfill");
        // The gate (a day later, past the soak) counts what the backfill could not see: old-shape trades written behind it.
        var afterSoak = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(25));
        var gate = Single(await Integrity(ExpandContractExamples.Registry, afterSoak).RunPreMigrationAsync(target,
            Plan(ExpandContractExamples.Expand, ExpandContractExamples.Contract, ExpandContractExamples.Registry), Token), $"{ContractGateCheck.IdPrefix}1.5.0");
        var lacking = await trades.CountDocumentsAsync(Filter.Exists("quantity", false), cancellationToken: Token);
        Assert.Equal(lacking == 0, gate.Passed);
        if (lacking > 0) Assert.Contains($"{lacking:N0} document", gate.Summary);

        // The second pass: the same idempotent step again, once the old application is gone.
        var catalog = await target.ReadCatalogAsync(Token);
        await ByHand.ExecuteAsync(target, new CopyFieldStep("trades", "qty", "quantity"), catalog, Token);

        Assert.Equal(0, await trades.CountDocumentsAsync(Filter.Exists("quantity", false), cancellationToken: Token));
        Assert.Equal(0, await trades.CountDocumentsAsync(Filter.Exists("qty") & new BsonDocument("$expr", new BsonDocument("$ne", new BsonArray { "$qty", "$quantity" })) &
            Filter.Not(Filter.Exists("dual")), cancellationToken: Token));
        // An old instance still running updates qty of a trade that has quantity: the gate refuses the contract, which would drop it.
        var straggler = await trades.Find(Filter.Exists("quantity")).FirstAsync(Token);
        await trades.UpdateOneAsync(Filter.Eq("_id", straggler["_id"]), Builders<BsonDocument>.Update.Set("qty", new BsonDecimal128(999)), cancellationToken: Token);
        var diverged = Single(await Integrity(ExpandContractExamples.Registry, afterSoak).RunPreMigrationAsync(target,
            Plan(ExpandContractExamples.Expand, ExpandContractExamples.Contract, ExpandContractExamples.Registry), Token), $"{ContractGateCheck.IdPrefix}1.5.0");
        Assert.False(diverged.Passed);
        Assert.Contains("1 document of trades holds a qty different from quantity", diverged.Summary);
        // The DBA stops it and copies its value, as the gate says.
        await trades.UpdateOneAsync(Filter.Eq("_id", straggler["_id"]), Builders<BsonDocument>.Update.Set("quantity", new BsonDecimal128(999)), cancellationToken: Token);
        Assert.True(Single(await Integrity(ExpandContractExamples.Registry, afterSoak).RunPreMigrationAsync(target,
            Plan(ExpandContractExamples.Expand, ExpandContractExamples.Contract, ExpandContractExamples.Registry), Token), $"{ContractGateCheck.IdPrefix}1.5.0").Passed);
        var quantities = await QuantitiesAsync(trades);

        Assert.Equal(RunOutcome.Succeeded, (await engine.MigrateAsync(target, ExpandContractExamples.Contract, cancellationToken: Token)).Outcome);

        Assert.Equal(0, await trades.CountDocumentsAsync(Filter.Exists("qty"), cancellationToken: Token));
        Assert.Equal(quantities, await QuantitiesAsync(trades));
        // The tightened validator refuses the old shape now.
        var tightened = await Assert.ThrowsAsync<MongoWriteException>(() => trades.InsertOneAsync(OldShape(Trades + 1), cancellationToken: Token));
        Assert.Equal(DocumentValidationFailure, tightened.WriteError.Code);

        Assert.Equal(RunOutcome.Succeeded, (await engine.MigrateAsync(target, ExpandContractExamples.Expand, cancellationToken: Token)).Outcome);

        var restored = await trades.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);
        Assert.All(restored, trade => Assert.Equal(trade["quantity"], trade["qty"]));
        Assert.Equal(quantities, await QuantitiesAsync(trades));
    }

    private static BsonDocument OldShape(int i) => new()
    {
        { "_id", ObjectId.GenerateNewId() }, { "user_id", ObjectId.GenerateNewId() }, { "symbol", "BTCUSDT" }, { "side", i % 2 == 0 ? "BUY" : "SELL" },
        { "qty", new BsonDecimal128(1 + i % 100) }, { "created_at", DateTime.UtcNow },
    };

    /// <summary>
    /// The old release: inserts trades with qty only and updates qty of existing trades. Before the expand's validator accepts qty alone,
    /// the spec's validator refuses both (121): counted, not failed on, as the application would retry.
    /// </summary>
    private static async Task<int> OldApplicationAsync(IMongoCollection<BsonDocument> trades, CancellationToken stop)
    {
        var writes = 0;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                if (i % 2 == 0) await trades.InsertOneAsync(OldShape(i), cancellationToken: CancellationToken.None);
                else await trades.UpdateOneAsync(Filter.Exists("quantity", false), Builders<BsonDocument>.Update.Set("qty", new BsonDecimal128(7)), cancellationToken: CancellationToken.None);
                writes++;
            }
            catch (MongoWriteException e) when (e.WriteError.Code == DocumentValidationFailure)
            {
            }
            await Task.Delay(2, CancellationToken.None);
        }
        return writes;
    }

    /// <summary>The new release: inserts trades with both fields and, updating a trade, writes both (marked, since its values may differ from the backfill's).</summary>
    private static async Task<int> DualWritingApplicationAsync(IMongoCollection<BsonDocument> trades, CancellationToken stop)
    {
        var writes = 0;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var value = new BsonDecimal128(500 + i % 10);
            if (i % 2 == 0) await trades.InsertOneAsync(OldShape(i).Set("qty", value).Set("quantity", value).Set("dual", true), cancellationToken: CancellationToken.None);
            else await trades.UpdateOneAsync(Filter.Exists("qty"), Builders<BsonDocument>.Update.Set("qty", value).Set("quantity", value).Set("dual", true),
                cancellationToken: CancellationToken.None);
            writes++;
            await Task.Delay(2, CancellationToken.None);
        }
        return writes;
    }

    private static async Task<IReadOnlyDictionary<BsonValue, BsonValue>> QuantitiesAsync(IMongoCollection<BsonDocument> trades) =>
        (await trades.Find(FilterDefinition<BsonDocument>.Empty).Project(Builders<BsonDocument>.Projection.Include("quantity")).ToListAsync(Token))
            .ToDictionary(trade => trade["_id"], trade => trade["quantity"]);
}
