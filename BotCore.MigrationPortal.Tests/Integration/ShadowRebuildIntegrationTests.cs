using System.Collections.Concurrent;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Shadow;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Shadow;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// The shadow rebuild against a real MongoDB 7 replica set (skipped, with the reason, where there is none): writers during the copy,
/// the swap, and the swap back.
/// </summary>
public sealed class ShadowRebuildIntegrationTests(MongoFixture mongo)
{
    private const string Orders = "orders";
    private const int Documents = 3_000;

    /// <summary>ErrorCodes::DocumentValidationFailure (src/mongo/base/error_codes.yml): what the swap's write pause answers.</summary>
    private const int DocumentValidationFailure = 121;

    private static readonly BsonDocument OriginalValidator = BsonDocument.Parse("{ $jsonSchema: { bsonType: \"object\", required: [\"n\"] } }");
    private static readonly BsonDocument RebuiltValidator =
        BsonDocument.Parse("{ $jsonSchema: { bsonType: \"object\", required: [\"n\", \"v2\"], properties: { v2: { bsonType: \"bool\" } } } }");

    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ShadowRebuildStep Step => new(Orders, ShadowTransform.Function("add v2", document => document.Set("v2", true)), "2.0.0")
    {
        Validator = RebuiltValidator,
    };

    [Fact]
    public async Task Writes_during_the_copy_are_in_the_swapped_collection_and_no_deleted_document_is()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        var orders = await SeedAsync(database);
        var step = Step;
        var expectedAfter = step.Apply(await target.ReadCatalogAsync(Token));

        // Bot Core's inserts and updates run during the copy and its first catch-up, as they would until the pause refuses them (the
        // test stops them there so that none lands between the two renames, where it would create a new orders and stop the swap);
        // deletes, which the pause does not stop, go on until the step has finished.
        using var copyCaughtUp = new CancellationTokenSource();
        using var stepDone = new CancellationTokenSource();
        var progress = new RecordingProgress(e => { if (e.Message.StartsWith("Replayed", StringComparison.Ordinal)) copyCaughtUp.Cancel(); });
        var increments = new ConcurrentDictionary<int, int>();
        var inserted = new ConcurrentBag<int>();
        var deleted = new ConcurrentBag<int>();
        var writer = Task.Run(() => WriteAsync(orders, increments, inserted, copyCaughtUp.Token), Token);
        var deleter = Task.Run(() => DeleteAsync(orders, deleted, stepDone.Token), Token);

        var outcome = await target.ExecuteStepAsync(step, expectedAfter,
            new StepExecution("it-shadow", "2.0.0/up/1", new StepReporter(progress, TimeProvider.System, "2.0.0", "up", 1, 1), new BatchOptions(100, 20)), Token);
        await copyCaughtUp.CancelAsync();
        await stepDone.CancelAsync();
        await Task.WhenAll(writer, deleter);

        Assert.True(outcome.Changed, outcome.Summary);
        Assert.True(increments.Count + inserted.Count > 0, "the writer wrote nothing while the shadow was built");
        var swapped = (await orders.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token)).ToDictionary(d => d["_id"].AsInt32);
        var original = (await database.GetCollection<BsonDocument>("orders_before_2_0_0").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token))
            .ToDictionary(d => d["_id"].AsInt32);
        var deletedIds = deleted.ToHashSet();
        // Every document the original held at the swap is in the swapped collection, transformed, unless deleted after the swap.
        foreach (var (id, document) in original)
        {
            if (swapped.TryGetValue(id, out var rebuilt)) Assert.Equal(document.DeepClone().AsBsonDocument.Set("v2", true), rebuilt);
            else Assert.Contains(id, deletedIds);
        }
        // Nothing else is: no document deleted before the swap came back, none appeared from nowhere.
        Assert.Empty(swapped.Keys.Except(original.Keys));
        Assert.Empty(swapped.Keys.Intersect(deletedIds));
        // Every acknowledged write made during the copy reached it: inserts and updates by their count.
        foreach (var id in inserted.Where(id => !deletedIds.Contains(id))) Assert.True(swapped.ContainsKey(id), $"inserted {id} is missing");
        foreach (var (id, count) in increments.Where(i => !deletedIds.Contains(i.Key))) Assert.Equal(count, swapped[id]["n"].AsInt32);

        var live = await target.ReadCatalogAsync(Token);
        Assert.Empty(CatalogDiff.Between(expectedAfter, live, step.Touches.Contains));
        Assert.Equal(OriginalValidator, live.Get("orders_before_2_0_0").Options.Validator);
        Assert.Equal(RebuiltValidator, live.Get(Orders).Options.Validator);
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints)
            .CountDocumentsAsync(new BsonDocument("_id", step.Names.StreamMarker), cancellationToken: Token));
    }

    /// <summary>
    /// Bot Core's updates go on until the pause refuses them (121). An update acknowledged just before the pause may still be in the
    /// stream after the first rename, when updateLookup (by name, then UUID) finds nothing: the step reads it from the renamed original
    /// instead of stopping the swap. And the first catch-up drains the copy's backlog instead of returning the opening empty batch.
    /// </summary>
    [Fact]
    public async Task Updates_made_until_the_pause_refuses_them_are_all_in_the_swapped_collection()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        var orders = await SeedAsync(database);
        var step = Step;
        var expectedAfter = step.Apply(await target.ReadCatalogAsync(Token));
        var increments = new ConcurrentDictionary<int, int>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => UpdateUntilPausedAsync(orders, increments, stop.Token), Token);
        var progress = new RecordingProgress();

        var outcome = await target.ExecuteStepAsync(step, expectedAfter,
            new StepExecution("it-shadow", "2.0.0/up/1", new StepReporter(progress, TimeProvider.System, "2.0.0", "up", 1, 1), new BatchOptions(100, 20)), Token);
        await stop.CancelAsync();

        Assert.True(outcome.Changed, outcome.Summary);
        Assert.True(await writer, "the writer was never refused by the swap's pause");
        Assert.NotEmpty(increments);
        // The writer updated all through the copy: its backlog was replayed right after the copy, not left for the pause.
        var afterCopy = Assert.Single(progress.Events, e => e.Message.EndsWith("writes made to orders during the copy.", StringComparison.Ordinal));
        Assert.DoesNotContain("Replayed 0 ", afterCopy.Message);
        var swapped = (await orders.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token)).ToDictionary(d => d["_id"].AsInt32);
        Assert.Equal(Documents, swapped.Count);
        foreach (var (id, document) in swapped)
        {
            Assert.Equal(increments.GetValueOrDefault(id), document["n"].AsInt32);
            Assert.True(document["v2"].AsBoolean);
        }
        Assert.Empty(CatalogDiff.Between(expectedAfter, await target.ReadCatalogAsync(Token), step.Touches.Contains));
    }

    [Fact]
    public async Task A_collection_with_a_default_collation_or_a_sparse_index_is_refused_before_anything_is_copied()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        await database.CreateCollectionAsync(Orders, new CreateCollectionOptions { Collation = new Collation("fr", strength: CollationStrength.Secondary) }, Token);
        var orders = database.GetCollection<BsonDocument>(Orders);
        await orders.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("email"),
            new CreateIndexOptions { Name = "email_1", Unique = true, Sparse = true }), cancellationToken: Token);
        await orders.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 0 } }, cancellationToken: Token);
        var step = new ShadowRebuildStep(Orders, ShadowTransform.Function("add v2", document => document.Set("v2", true)), "2.0.0");
        var before = await target.ReadCatalogAsync(Token);

        var refused = await Assert.ThrowsAsync<MigrationEngineException>(() => target.ExecuteStepAsync(step, step.Apply(before),
            new StepExecution("it-shadow", "2.0.0/up/1", new StepReporter(new RecordingProgress(), TimeProvider.System, "2.0.0", "up", 1, 1), new BatchOptions(100, 0)),
            Token));

        // The index inherits the collection's default collation (listIndexes shows it on the index too), so it is named there as well.
        Assert.Contains("Cannot rebuild orders: the rebuilt collection would lose the collection option collation; ", refused.Message);
        Assert.Matches("sparse(, collation)? of the index email_1|collation, sparse of the index email_1", refused.Message);
        Assert.Contains("Nothing was copied", refused.Message);
        Assert.Equal(before, await target.ReadCatalogAsync(Token));
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints)
            .CountDocumentsAsync(new BsonDocument("_id", step.Names.StreamMarker), cancellationToken: Token));
    }

    /// <summary>
    /// A pipeline that drops _id: the update that writes the shadow keeps each document's own _id (first), and the sample check, which
    /// computes the expected documents by aggregation, gives it back the same way instead of failing inside the pause.
    /// </summary>
    [Fact]
    public async Task A_pipeline_that_drops_the_id_rebuilds_each_document_under_its_own_id_and_passes_the_sample_check()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        var orders = await SeedAsync(database);
        var step = new ShadowRebuildStep(Orders, ShadowTransform.Pipeline(BsonDocument.Parse("{ $project: { _id: 0, n: 1, v2: { $literal: true } } }")), "2.0.0")
        {
            Validator = RebuiltValidator,
        };

        var outcome = await target.ExecuteStepAsync(step, step.Apply(await target.ReadCatalogAsync(Token)),
            new StepExecution("it-shadow", "2.0.0/up/1", new StepReporter(new RecordingProgress(), TimeProvider.System, "2.0.0", "up", 1, 1), new BatchOptions(500, 0)),
            Token);

        Assert.True(outcome.Changed, outcome.Summary);
        Assert.Contains($"{Math.Min(Documents, step.SampleSize)} sampled and equal", outcome.Summary);
        var rebuilt = await orders.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token);
        Assert.Equal(Enumerable.Range(0, Documents).Select(i => new BsonDocument { { "_id", i }, { "n", 0 }, { "v2", true } }), rebuilt);
    }

    [Fact]
    public async Task The_swap_back_restores_the_original_collection_with_its_documents_and_validator()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        var orders = await SeedAsync(database);
        var originalDocuments = await orders.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token);
        var before = await target.ReadCatalogAsync(Token);
        var step = Step;
        var progress = new RecordingProgress();
        var reporter = new StepReporter(progress, TimeProvider.System, "2.0.0", "up", 1, 1);
        await target.ExecuteStepAsync(step, step.Apply(before), new StepExecution("it-shadow", "2.0.0/up/1", reporter, new BatchOptions(500, 0)), Token);
        var inverse = step.Inverse(before);

        var outcome = await target.ExecuteStepAsync(inverse, inverse.Apply(await target.ReadCatalogAsync(Token)),
            new StepExecution("it-shadow", "2.0.0/up/1/undo", reporter, new BatchOptions(500, 0)), Token);

        Assert.Contains("orders_before_2_0_0 renamed over the rebuilt orders", outcome.Summary);
        Assert.Equal(originalDocuments, await orders.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token));
        var names = await (await database.ListCollectionNamesAsync(cancellationToken: Token)).ToListAsync(Token);
        Assert.DoesNotContain("orders_before_2_0_0", names);
        Assert.DoesNotContain("orders_shadow", names);
        Assert.Equal(before, await target.ReadCatalogAsync(Token));
    }

    [Fact]
    public async Task The_example_migration_runs_up_and_down_through_the_runner_and_trades_gets_its_quantities_back()
    {
        var database = mongo.NewDatabase();
        var runner = new EngineHarness(ShadowExample.Registry);
        var target = runner.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await runner.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var trades = database.GetCollection<BsonDocument>("trades");
        await trades.InsertManyAsync(Enumerable.Range(0, 250).Select(i => new BsonDocument
        {
            { "user_id", ObjectId.GenerateNewId() }, { "symbol", "BTCUSDT" }, { "side", i % 2 == 0 ? "BUY" : "SELL" }, { "quantity", 0.5 + i },
            { "created_at", DateTime.UtcNow },
        }), cancellationToken: Token);
        var originals = await trades.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token);

        var up = await runner.MigrateAsync(target, "2.0.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, up.Outcome);
        Assert.Empty(CatalogDiff.Between(runner.Registry.ExpectedCatalogAt(V("2.0.0")), await target.ReadCatalogAsync(Token)));
        var rebuilt = await trades.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token);
        Assert.Equal(originals.Select(d => d["quantity"].ToDecimal()), rebuilt.Select(d => Decimal128.ToDecimal(d["quantity"].AsDecimal128)));
        Assert.All(rebuilt, d => Assert.Equal(BsonType.Decimal128, d["quantity"].BsonType));

        var down = await runner.MigrateAsync(target, "1.3.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, down.Outcome);
        Assert.Equal(originals, await trades.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(Token));
        Assert.Empty(CatalogDiff.Between(runner.Registry.ExpectedCatalogAt(V("1.3.0")), await target.ReadCatalogAsync(Token)));
    }

    private static async Task<IMongoCollection<BsonDocument>> SeedAsync(IMongoDatabase database)
    {
        await database.CreateCollectionAsync(Orders, new CreateCollectionOptions<BsonDocument>
        {
            Validator = new BsonDocumentFilterDefinition<BsonDocument>(OriginalValidator),
        }, Token);
        var orders = database.GetCollection<BsonDocument>(Orders);
        await orders.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("n"), new CreateIndexOptions { Name = "idx_n" }),
            cancellationToken: Token);
        await orders.InsertManyAsync(Enumerable.Range(0, Documents).Select(i => new BsonDocument { { "_id", i }, { "n", 0 }, { "payload", new string('x', 100) } }),
            cancellationToken: Token);
        return orders;
    }

    /// <summary>Inserts new documents and increments existing ones until told to stop; records only what MongoDB acknowledged.</summary>
    private static async Task WriteAsync(IMongoCollection<BsonDocument> orders, ConcurrentDictionary<int, int> increments, ConcurrentBag<int> inserted,
        CancellationToken stop)
    {
        var random = new Random(7);
        var next = Documents;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (random.Next(3) == 0)
                {
                    var id = next++;
                    await orders.InsertOneAsync(new BsonDocument { { "_id", id }, { "n", 0 } }, cancellationToken: CancellationToken.None);
                    inserted.Add(id);
                }
                else
                {
                    var id = random.Next(Documents);
                    var result = await orders.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$inc", new BsonDocument("n", 1)),
                        cancellationToken: CancellationToken.None);
                    if (result.ModifiedCount == 1) increments.AddOrUpdate(id, 1, (_, count) => count + 1);
                }
            }
            catch (MongoWriteException e) when (e.WriteError.Code == DocumentValidationFailure)
            {
                // A write in flight when the test told the writer to stop met the swap's pause: refused, so not recorded; as Bot Core
                // would, it stops until the swap is over (here: for good).
                return;
            }
        }
    }

    /// <summary>
    /// Increments existing documents (every one exists: nothing deletes here) as fast as it can until the swap's pause refuses one, as
    /// Bot Core's writes would be refused; records only what MongoDB acknowledged.
    /// </summary>
    /// <returns>Whether the pause refused one (false: told to stop first).</returns>
    private static async Task<bool> UpdateUntilPausedAsync(IMongoCollection<BsonDocument> orders, ConcurrentDictionary<int, int> increments, CancellationToken stop)
    {
        var random = new Random(13);
        while (!stop.IsCancellationRequested)
        {
            var id = random.Next(Documents);
            try
            {
                var result = await orders.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$inc", new BsonDocument("n", 1)),
                    cancellationToken: CancellationToken.None);
                if (result.ModifiedCount == 1) increments.AddOrUpdate(id, 1, (_, count) => count + 1);
            }
            catch (MongoWriteException e) when (e.WriteError.Code == DocumentValidationFailure)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Deletes documents, through the pause and the swap, until told to stop; records only the deletes that removed a document.</summary>
    private static async Task DeleteAsync(IMongoCollection<BsonDocument> orders, ConcurrentBag<int> deleted, CancellationToken stop)
    {
        var random = new Random(11);
        while (!stop.IsCancellationRequested)
        {
            var id = random.Next(Documents + 200);
            var result = await orders.DeleteOneAsync(new BsonDocument("_id", id), CancellationToken.None);
            if (result.DeletedCount == 1) deleted.Add(id);
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
