using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets.Leases;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>The engine against a real MongoDB 7 replica set (skipped, with the reason, where there is none).</summary>
public sealed class EngineIntegrationTests(MongoFixture mongo)
{
    private static readonly string[] ManagedCollections = [.. EngineHarness.Migrations.ManagedCollections];
    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_to_1_3_0_on_an_empty_database_gives_the_expected_catalog_and_the_spec_version_document()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);

        var result = await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        var expected = engine.Registry.ExpectedCatalogAt(V("1.3.0"));
        var live = await target.ReadCatalogAsync(Token);
        Assert.Empty(CatalogDiff.Between(expected, live));
        Assert.Equal(CatalogJson.ToJson(expected), CatalogJson.ToJson(live));

        var version = await database.GetCollection<BsonDocument>("system_config").Find(new BsonDocument("key", "DATABASE_SCHEMA_VERSION")).SingleAsync(Token);
        Assert.Equal("1.3.0", version["value"].AsString);
        Assert.Equal("system", version["category"].AsString);
        Assert.True(version["is_active"].AsBoolean);
        Assert.Equal("tester", version["updated_by"].AsString);
        Assert.True(version["created_at"].IsValidDateTime && version["updated_at"].IsValidDateTime);

        var changelog = (await target.ReadHistoryAsync(Token)).Changelog;
        Assert.Equal(["1.0.0", "1.1.0", "1.2.0", "1.3.0"], changelog.Select(e => e.Version));
        Assert.All(changelog, e => Assert.True(e.LeftApplied));
        Assert.Equal(engine.Registry.Migrations.Select(m => m.Checksum), changelog.Select(e => e.Checksum));
    }

    [Fact]
    public async Task Down_to_0_0_0_leaves_none_of_the_migrations_collections_and_no_version()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);

        var result = await engine.MigrateAsync(target, "0.0.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        var names = await (await database.ListCollectionNamesAsync(cancellationToken: Token)).ToListAsync(Token);
        Assert.Empty(names.Intersect(ManagedCollections));
        Assert.Equal(0, await database.GetCollection<BsonDocument>("system_config").CountDocumentsAsync(new BsonDocument("key", "DATABASE_SCHEMA_VERSION"), cancellationToken: Token));
        Assert.Equal(SchemaCatalog.Empty, await target.ReadCatalogAsync(Token));
    }

    [Fact]
    public async Task A_second_up_changes_nothing_even_when_every_step_is_executed_again()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var history = await target.ReadHistoryAsync(Token);
        Assert.True(engine.Planner.Plan(history.Applied, V("1.3.0"), history).IsEmpty);

        // Forget the version, as if the migrations had never been recorded: every step meets its own work.
        await database.GetCollection<BsonDocument>("system_config").DeleteOneAsync(new BsonDocument("key", "DATABASE_SCHEMA_VERSION"), Token);
        var before = await target.ReadCatalogAsync(Token);
        var progress = new RecordingProgress();
        var result = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Empty(CatalogDiff.Between(before.WithVersion(V("1.3.0")), await target.ReadCatalogAsync(Token)));
        Assert.All(progress.OfKind(RunEventKind.StepFinished), e => Assert.Matches("already in place|: 0 written", e.Message));
    }

    [Fact]
    public async Task Migration_1_1_0_creates_exactly_one_paper_account_per_user_also_when_run_twice()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);
        var userIds = await SeedUsersAsync(database, 1_000);

        Assert.True((await engine.MigrateAsync(target, "1.1.0", cancellationToken: Token)).Succeeded);
        await SetVersionAsync(database, "1.0.0");
        Assert.True((await engine.MigrateAsync(target, "1.1.0", cancellationToken: Token)).Succeeded);

        var accounts = await database.GetCollection<BsonDocument>("paper_trading_accounts").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);
        Assert.Equal(1_000, accounts.Count);
        Assert.Equal(userIds.Order(), accounts.Select(a => a["user_id"].AsObjectId).Order());
        Assert.All(accounts, a =>
        {
            Assert.Equal(BsonType.Decimal128, a["initial_balance"].BsonType);
            Assert.Equal(Decimal128.Parse("10000.00"), a["current_balance"].AsDecimal128);
            Assert.Equal(Decimal128.Parse("0.05"), a["settings"]["default_quantity"].AsDecimal128);
        });
    }

    [Fact]
    public async Task A_step_that_fails_midway_leaves_the_catalog_as_it_was_before_the_run()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var positions = database.GetCollection<BsonDocument>("positions");
        var healthy = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "symbol", "BTCUSDT" }, { "metadata", new BsonDocument("note", "kept") } };
        // 1.3.0 adds metadata.var_contribution below a position's metadata. One position sits 16 bytes under MongoDB's 16 MiB document
        // limit: the server refuses the $set that would grow it past the limit ("Resulting document after update is larger than
        // 16777216", update_stage.cpp). updateMany is not atomic: the healthy position keeps what it took, until the rollback.
        await positions.InsertManyAsync([healthy, AtTheSizeLimit(ObjectId.GenerateNewId(), 16)], cancellationToken: Token);
        var before = await target.ReadCatalogAsync(Token);

        var result = await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Empty(CatalogDiff.Between(before, await target.ReadCatalogAsync(Token)));
        Assert.Equal(V("1.2.0"), result.FinalVersion);
        var kept = await positions.Find(new BsonDocument("_id", healthy["_id"])).SingleAsync(Token);
        Assert.Equal(new BsonDocument("note", "kept"), kept["metadata"].AsBsonDocument);
        var last = (await target.ReadHistoryAsync(Token)).Changelog[^1];
        Assert.Equal(("1.3.0", ChangelogEntry.Failed), (last.Version, last.Status));
        Assert.Contains("larger than 16777216", last.Error);
    }

    [Fact]
    public async Task A_view_named_like_an_application_collection_stops_1_3_0_with_why_and_the_run_is_rolled_back()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        // The application reads its positions through a view of that name: listCollections lists it ("type": "view"), the catalog does not.
        await database.CreateViewAsync<BsonDocument, BsonDocument>("positions", "portfolio_history", new EmptyPipelineDefinition<BsonDocument>(),
            cancellationToken: Token);
        var before = await target.ReadCatalogAsync(Token);

        var result = await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Contains("'positions' is a view, not a collection", result.Error);
        Assert.Empty(CatalogDiff.Between(before, await target.ReadCatalogAsync(Token)));
        var view = await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", "positions") }, Token)).SingleAsync(Token);
        Assert.Equal("view", view["type"].AsString);
    }

    [Fact]
    public async Task Of_two_concurrent_ups_on_one_target_one_runs_and_the_other_is_refused()
    {
        var database = mongo.NewDatabase();
        var name = database.DatabaseNamespace.DatabaseName;
        Assert.True((await engine.MigrateAsync(engine.Mongo(database.Client, name), "1.0.0", cancellationToken: Token)).Succeeded);
        await SeedUsersAsync(database, 3_000);
        using var first = mongo.NewClient(database);
        using var second = mongo.NewClient(database);
        var slow = new BatchOptions(100, 20);

        var runs = await Task.WhenAll(
            Attempt(() => engine.MigrateAsync(engine.Mongo(first, name), "1.1.0", batching: slow, cancellationToken: Token)),
            Attempt(() => engine.MigrateAsync(engine.Mongo(second, name), "1.1.0", batching: slow, cancellationToken: Token)));

        Assert.Single(runs, r => r.Result?.Succeeded == true);
        var refused = Assert.IsType<TargetLockedException>(Assert.Single(runs, r => r.Error is not null).Error);
        Assert.Contains("busy", refused.Message);
        var history = await engine.Mongo(database.Client, name).ReadHistoryAsync(Token);
        Assert.Single(history.Changelog, e => e.Version == "1.1.0" && e.LeftApplied);
        Assert.Equal(3_000, await database.GetCollection<BsonDocument>("paper_trading_accounts").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
    }

    [Fact]
    public async Task A_run_whose_holder_died_midway_is_taken_over_once_its_lease_expires()
    {
        var database = mongo.NewDatabase();
        var lease = new LeaseOptions(DurationSeconds: 3, RenewEverySeconds: 1);
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName, lease);
        // The dead run took the lease and created the first collection of 1.0.0, then its process vanished.
        var ghost = new LeaseHolder("dead-run", "ghost") { Host = "crashed-host" };
        Assert.NotNull(await new MongoLeaseStore(database.GetCollection<LeaseRecord>(TargetCollections.Lock)).TryAcquireAsync(ghost, lease.Duration, Token));
        var firstStep = engine.Registry.Migrations[0].Steps[0];
        await target.ExecuteStepAsync(firstStep, firstStep.Apply(SchemaCatalog.Empty), Execution("1.0.0/up/1", new RecordingProgress()), Token);

        var refused = await Assert.ThrowsAsync<TargetLockedException>(() => engine.MigrateAsync(target, "1.3.0", cancellationToken: Token));
        Assert.Contains("crashed-host", refused.Message);

        await Task.Delay(lease.Duration + TimeSpan.FromMilliseconds(500), Token);
        var result = await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Empty(CatalogDiff.Between(engine.Registry.ExpectedCatalogAt(V("1.3.0")), await target.ReadCatalogAsync(Token)));
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Lock).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
    }

    [Fact]
    public async Task A_batched_data_step_interrupted_after_some_batches_resumes_from_its_checkpoint()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);
        await SeedUsersAsync(database, 1_000);
        var paperTrading = engine.Registry.Migrations[1];
        foreach (var step in paperTrading.Steps.Take(2))
        {
            await target.ExecuteStepAsync(step, step.Apply(await target.ReadCatalogAsync(Token)), Execution("setup", new RecordingProgress()), Token);
        }

        // The process dies after three batches of 100 users: no rollback runs, the checkpoint stays.
        using var dies = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var interrupted = new RecordingProgress(e =>
        {
            if (e.Kind == RunEventKind.BatchProgress && e.Batch!.Processed >= 300) dies.Cancel();
        });
        var dataStep = paperTrading.Steps[^1];
        var key = $"1.1.0/up/{paperTrading.Steps.Count}";
        var catalog = await target.ReadCatalogAsync(Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.ExecuteStepAsync(dataStep, catalog, Execution(key, interrupted), dies.Token));
        var accounts = database.GetCollection<BsonDocument>("paper_trading_accounts");
        Assert.Equal(300, await accounts.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));

        var resumed = new RecordingProgress();
        var result = await engine.MigrateAsync(target, "1.1.0", resumed, cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Contains(resumed.OfKind(RunEventKind.Log), e => e.Message.Contains("after 300 documents"));
        var batches = resumed.OfKind(RunEventKind.BatchProgress).Where(e => e.Version == "1.1.0").ToList();
        Assert.Equal(400, batches[0].Batch!.Processed);
        Assert.Equal(1_000, batches[^1].Batch!.Processed);
        Assert.Equal(7, batches.Count);
        Assert.Equal(1_000, await accounts.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
        Assert.Equal(0, await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
    }

    [Fact]
    public async Task Drift_names_an_index_dropped_by_hand_and_keeps_application_collections_apart()
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);
        await database.GetCollection<BsonDocument>("trades").Indexes.DropOneAsync("idx_trades_ttl", Token);
        await database.CreateCollectionAsync("orders", cancellationToken: Token);

        var report = DriftReport.Of(engine.Registry, await target.ReadCatalogAsync(Token));

        var blocking = Assert.Single(report.Blocking);
        Assert.Equal((DifferenceKind.MissingIndex, "trades.idx_trades_ttl"), (blocking.Difference.Kind, blocking.Difference.Subject));
        Assert.Equal(["orders"], report.Tolerated.Select(d => d.Difference.Subject));
    }

    private static StepExecution Execution(string key, IProgress<RunEvent> progress) =>
        new("it-run", key, new StepReporter(progress, TimeProvider.System, "1.1.0", "up", 1, 1), new BatchOptions(100, 0));

    /// <summary>A position whose BSON is <paramref name="headroom"/> bytes under the 16 MiB that MongoDB allows a document (BSONObjMaxUserSize).</summary>
    private static BsonDocument AtTheSizeLimit(ObjectId id, int headroom)
    {
        const int MaxDocumentBytes = 16 * 1024 * 1024;
        var position = new BsonDocument { { "_id", id }, { "symbol", "ETHUSDT" }, { "metadata", new BsonDocument() }, { "fills", new BsonBinaryData(Array.Empty<byte>()) } };
        position["fills"] = new BsonBinaryData(new byte[MaxDocumentBytes - headroom - position.ToBson().Length]);
        return position;
    }

    private static async Task<IReadOnlyList<ObjectId>> SeedUsersAsync(IMongoDatabase database, int count)
    {
        var users = Enumerable.Range(0, count).Select(i => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() },
            { "email", $"trader{i}@botcore.example" },
            { "password_hash", new string('x', 60) },
            { "is_active", true },
            { "created_at", DateTime.UtcNow },
        }).ToList();
        await database.GetCollection<BsonDocument>("users").InsertManyAsync(users, cancellationToken: Token);
        return users.Select(u => u["_id"].AsObjectId).ToList();
    }

    private static Task SetVersionAsync(IMongoDatabase database, string version) =>
        database.GetCollection<BsonDocument>("system_config").UpdateOneAsync(new BsonDocument("key", "DATABASE_SCHEMA_VERSION"),
            Builders<BsonDocument>.Update.Set("value", version), cancellationToken: Token);

    private static async Task<(RunResult? Result, Exception? Error)> Attempt(Func<Task<RunResult>> run)
    {
        try
        {
            return (await run(), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }
}
