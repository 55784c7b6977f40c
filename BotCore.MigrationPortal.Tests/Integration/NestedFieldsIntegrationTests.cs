using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// Fields added below a parent path (1.3.0's <c>metadata.*</c> on positions) against a real MongoDB 7 replica set (skipped, with the
/// reason, where there is none): the pre-migration check names the documents whose parent is not an object, the up never fails on
/// them, and up then down gives every document back byte for byte, a parent the up created included.
/// </summary>
public sealed class NestedFieldsIntegrationTests(MongoFixture mongo)
{
    /// <summary>
    /// 1.3.0's step that adds the risk fields to positions, numbered from 1 as the runner and the checks number it: derived, since
    /// 1.3.0 gained an "ensure collection positions" step before it (a number written here went stale once already).
    /// </summary>
    private static readonly int AddToPositions = EngineHarness.Migrations.Find(V("1.3.0"))!.Steps
        .Select((step, index) => (step, index)).Single(s => s.step is AddFieldsStep { CollectionName: "positions" }).index + 1;

    private static readonly string ParentsCheck = $"pre.field-parents:1.3.0/up/{AddToPositions}";
    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_pre_check_names_null_5_and_an_array_and_without_them_up_then_down_gives_every_position_back_byte_for_byte()
    {
        var (database, target) = await MigratedTo120Async();
        var positions = database.GetCollection<BsonDocument>("positions");
        var (fine, refused) = await InsertPositionsAsync(positions);

        var check = Single(await Integrity().RunPreMigrationAsync(target, Plan("1.2.0", "1.3.0"), Token), ParentsCheck);

        Assert.True(check.Blocks);
        Assert.Equal("3 documents of positions have a metadata that is not an object (null, a scalar or an array)", check.Summary);
        Assert.All(refused, id => Assert.Single(check.Evidence, line => line.Contains(id.AsObjectId.ToString())));
        Assert.All(fine, id => Assert.DoesNotContain(check.Evidence, line => line.Contains(id.AsObjectId.ToString())));

        await positions.DeleteManyAsync(Builders<BsonDocument>.Filter.In("_id", refused), Token);
        Assert.True(Single(await Integrity().RunPreMigrationAsync(target, Plan("1.2.0", "1.3.0"), Token), ParentsCheck).Passed);
        var before = await BytesAsync(database);

        Assert.Equal(RunOutcome.Succeeded, (await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Outcome);

        var added = await positions.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);
        Assert.All(added, position => Assert.Equal(0.0, position["metadata"]["correlation_score"].AsDouble));
        Assert.Equal(3, added.Single(p => p["_id"] == fine[0])["metadata"].AsBsonDocument.ElementCount);
        Assert.Equal(3, added.Single(p => p["_id"] == fine[1])["metadata"].AsBsonDocument.ElementCount);
        var other = added.Single(p => p["_id"] == fine[2])["metadata"].AsBsonDocument;
        Assert.Equal((4, "other", 1), (other.ElementCount, other.GetElement(0).Name, other["other"].AsInt32));
        var record = Assert.Single(await Records(database).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token));
        Assert.Equal(fine[0], record["_id"]["document"]);
        Assert.Equal("metadata", record["_id"]["parent"].AsString);

        Assert.Equal(RunOutcome.Succeeded, (await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Outcome);

        Assert.Equal(before, await BytesAsync(database));
        Assert.Equal(0, await Records(database).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
    }

    [Fact]
    public async Task Documents_written_after_the_pre_check_with_a_metadata_that_is_not_an_object_are_left_and_counted_and_the_run_succeeds()
    {
        var (database, target) = await MigratedTo120Async();
        await InsertPositionsAsync(database.GetCollection<BsonDocument>("positions"));
        var before = await BytesAsync(database);
        var progress = new RecordingProgress();

        var up = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, up.Outcome);
        var risk = Assert.Single(progress.OfKind(RunEventKind.StepFinished), e => e.Version == "1.3.0" && e.StepIndex == AddToPositions);
        Assert.Contains("3 documents left as they are: their metadata exists and is not an object", risk.Message);
        Assert.Contains("1 missing metadata created", risk.Message);
        Assert.Contains(progress.OfKind(RunEventKind.Log), e => e.Level == RunEventLevel.Warning && e.Message.StartsWith("positions: 3 documents left", StringComparison.Ordinal));

        Assert.Equal(RunOutcome.Succeeded, (await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Outcome);

        Assert.Equal(before, await BytesAsync(database));
    }

    [Fact]
    public async Task Two_levels_deep_in_batches_of_two_up_then_down_removes_each_level_it_created_and_gives_every_document_back()
    {
        var (database, target) = await MigratedTo120Async();
        var positions = database.GetCollection<BsonDocument>("positions");
        await positions.InsertManyAsync(new[]
        {
            "{ symbol: 'A' }", "{ symbol: 'B', risk: {} }", "{ symbol: 'C', risk: { limits: {} } }", "{ symbol: 'D', risk: { limits: { x: 1 } } }",
            "{ symbol: 'E', risk: { score: 5 } }", "{ symbol: 'F', risk: { limits: 5 } }", "{ symbol: 'G', risk: 5 }",
            "{ symbol: 'H', risk: { limits: [ {} ] } }", "{ symbol: 'I', risk: { limits: { max: 9 }, score: 1.0 } }",
        }.Select(json => new BsonDocument("_id", ObjectId.GenerateNewId()).AddRange(BsonDocument.Parse(json))), cancellationToken: Token);
        var before = await BytesAsync(database);
        var add = new AddFieldsStep("positions", BsonDocument.Parse("{ 'risk.limits.max': 0, 'risk.score': 0.0 }"));
        var catalog = await target.ReadCatalogAsync(Token);

        var up = await target.ExecuteStepAsync(add, add.Apply(catalog), Execution("nested/up"), Token);

        Assert.Contains("3 documents left as they are: their risk or risk.limits exists and is not an object", up.Summary);
        // A lacks risk and risk.limits, B and E lack risk.limits.
        Assert.Contains("4 missing risk, risk.limits created", up.Summary);
        var a = await positions.Find(new BsonDocument("symbol", "A")).SingleAsync(Token);
        Assert.Equal((0, 0.0, 2), (a["risk"]["limits"]["max"].AsInt32, a["risk"]["score"].AsDouble, a["risk"].AsBsonDocument.ElementCount));

        var remove = add.Inverse(catalog);
        await target.ExecuteStepAsync(remove, remove.Apply(catalog), Execution("nested/down"), Token);

        Assert.Equal(before, await BytesAsync(database));
        Assert.Equal(0, await Records(database).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
    }

    private async Task<(IMongoDatabase Database, MongoMigrationTarget Target)> MigratedTo120Async()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        return (database, target);
    }

    /// <summary>Positions whose metadata is missing, {}, {other: 1} (fine), and null, 5, [ {a: 1} ] (not objects).</summary>
    private static async Task<(IReadOnlyList<BsonValue> Fine, IReadOnlyList<BsonValue> Refused)> InsertPositionsAsync(IMongoCollection<BsonDocument> positions)
    {
        BsonDocument Position(string symbol, BsonValue? metadata)
        {
            var position = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "symbol", symbol } };
            if (metadata is not null) position.Add("metadata", metadata);
            position.Add("quantity", 1.5);
            return position;
        }
        var fine = new[] { Position("BTCUSDT", null), Position("ETHUSDT", new BsonDocument()), Position("SOLUSDT", new BsonDocument("other", 1)) };
        var refused = new[] { Position("ADAUSDT", BsonNull.Value), Position("XRPUSDT", 5), Position("DOTUSDT", new BsonArray { new BsonDocument("a", 1) }) };
        await positions.InsertManyAsync([.. fine, .. refused], cancellationToken: Token);
        return (fine.Select(p => p["_id"]).ToList(), refused.Select(p => p["_id"]).ToList());
    }

    /// <summary>Every position's bytes as the server returns them, by _id.</summary>
    private static async Task<IReadOnlyDictionary<BsonValue, string>> BytesAsync(IMongoDatabase database)
    {
        var raw = await database.GetCollection<RawBsonDocument>("positions").Find(FilterDefinition<RawBsonDocument>.Empty).ToListAsync(Token);
        try
        {
            return raw.ToDictionary(document => document["_id"], document => Convert.ToHexString(document.ToBson()));
        }
        finally
        {
            foreach (var document in raw) document.Dispose();
        }
    }

    private static IMongoCollection<BsonDocument> Records(IMongoDatabase database) => database.GetCollection<BsonDocument>(TargetCollections.CreatedParents);

    private static StepExecution Execution(string key) =>
        new("it-run", key, new StepReporter(new RecordingProgress(), TimeProvider.System, "test", "up", 1, 1), new BatchOptions(2, 0));
}
