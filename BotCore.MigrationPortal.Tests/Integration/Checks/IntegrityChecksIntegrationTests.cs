using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Integration.Checks;

/// <summary>The integrity checks against a real MongoDB 7 replica set (skipped, with the reason, where there is none).</summary>
public sealed class IntegrityChecksIntegrationTests(MongoFixture mongo)
{
    private readonly EngineHarness engine = new();
    private readonly IntegrityChecks checks = Integrity();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_orphaned_trade_and_a_trade_with_quantity_0_are_found_and_block_the_run()
    {
        var (database, target) = await MigratedAsync("1.0.0");
        var user = User("ada@example.com");
        await Collection(database, "users").InsertOneAsync(user, cancellationToken: Token);
        var orphan = Trade(ObjectId.GenerateNewId(), 2);
        var zero = Trade(user["_id"], 0);
        await Collection(database, "trades").InsertManyAsync([Trade(user["_id"], 1), orphan, zero], cancellationToken: Token);

        var results = await checks.RunPreMigrationAsync(target, Plan("1.0.0", "1.3.0"), Token);

        var orphans = Single(results, "pre.orphaned-trades");
        Assert.True(orphans.Blocks);
        Assert.Equal("1 trade has a user_id that matches no user", orphans.Summary);
        Assert.Contains(IdOf(orphan), Assert.Single(orphans.Evidence));
        var quantity = Single(results, "pre.trade-quantity");
        Assert.True(quantity.Blocks);
        Assert.Equal("1 document of trades has quantity <= 0", quantity.Summary);
        Assert.Contains(IdOf(zero), Assert.Single(quantity.Evidence));
        Assert.Equal("users.idx_users_email_unique is in place", Single(results, "pre.email-index").Summary);
    }

    [Fact]
    public async Task A_duplicate_email_blocks_before_createIndex_would_fail()
    {
        var (database, target) = NewTarget();
        // An application that wrote users before 1.0.0, without the validator and without the unique index.
        await database.CreateCollectionAsync("users", cancellationToken: Token);
        var users = Collection(database, "users");
        await users.InsertManyAsync(
        [
            new BsonDocument("email", "a@example.com"), new BsonDocument("email", "a@example.com"), new BsonDocument("email", "b@example.com"),
            new BsonDocument("name", "no email"), new BsonDocument { { "name", "null email" }, { "email", BsonNull.Value } },
        ], cancellationToken: Token);

        var results = await checks.RunPreMigrationAsync(target, Plan("0.0.0", "1.0.0"), Token);

        var duplicates = Single(results, "pre.unique-index:users.idx_users_email_unique");
        Assert.True(duplicates.Blocks);
        Assert.Equal("2 key values of idx_users_email_unique are held by more than one document of users: createIndex would fail", duplicates.Summary);
        Assert.Contains(duplicates.Evidence, line => line.Contains("\"a@example.com\"") && line.EndsWith("is held by 2 documents", StringComparison.Ordinal));
        // A unique index treats a missing email as null: both documents without one collide too.
        Assert.Contains("{ \"email\" : null } is held by 2 documents", duplicates.Evidence);
        Assert.Equal("does not apply: the plan starts at 0.0.0, before 1.0.0 creates users.idx_users_email_unique", Single(results, "pre.email-index").Summary);
        Assert.Equal("5 documents of users violate the new validator", Single(results, "pre.validator:1.0.0/up/1").Summary);
        // And MongoDB agrees: the index the check warned about cannot be built.
        await Assert.ThrowsAnyAsync<MongoCommandException>(() => users.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("email"), new CreateIndexOptions { Unique = true }),
            cancellationToken: Token));
    }

    [Fact]
    public async Task Documents_violating_a_new_validator_are_counted_and_shown()
    {
        var (database, target) = await MigratedAsync("1.2.0");
        // risk_metrics written by the application before 1.3.0 creates it with its validator.
        await database.CreateCollectionAsync("risk_metrics", cancellationToken: Token);
        var notAnObjectId = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "user_id", "user-1" }, { "timestamp", DateTime.UtcNow } };
        var noUser = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "timestamp", DateTime.UtcNow } };
        var valid = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "user_id", ObjectId.GenerateNewId() }, { "timestamp", DateTime.UtcNow } };
        await Collection(database, "risk_metrics").InsertManyAsync([notAnObjectId, noUser, valid], cancellationToken: Token);

        var result = await checks.RunOneAsync("pre.validator:1.3.0/up/1", target, Plan("1.2.0", "1.3.0"), Token);

        Assert.True(result.Blocks);
        Assert.Equal("2 documents of risk_metrics violate the new validator", result.Summary);
        Assert.Equal(2, result.Evidence.Count);
        Assert.Contains(result.Evidence, line => line.Contains(IdOf(notAnObjectId)));
        Assert.Contains(result.Evidence, line => line.Contains(IdOf(noUser)));
        Assert.DoesNotContain(result.Evidence, line => line.Contains(IdOf(valid)));
    }

    [Fact]
    public async Task A_data_step_reports_how_many_documents_it_will_touch()
    {
        var (database, target) = await MigratedAsync("1.2.0");
        await Collection(database, "positions").InsertManyAsync(
        [
            new BsonDocument("symbol", "BTCUSDT"),
            new BsonDocument("symbol", "ETHUSDT"),
            BsonDocument.Parse("{ symbol: 'SOLUSDT', metadata: { var_contribution: NumberDecimal('1.5'), correlation_score: 0.2, concentration_risk: 0.1 } }"),
        ], cancellationToken: Token);

        var results = await checks.RunPreMigrationAsync(target, Plan("1.2.0", "1.3.0"), Token);

        var positions = Single(results, "pre.data-step:1.3.0/up/4");
        Assert.Equal(CheckSeverity.Warning, positions.Severity);
        Assert.True(positions.Passed);
        Assert.StartsWith("2 documents of positions lack one of metadata.var_contribution", positions.Summary);
        Assert.Equal("nothing to check: collection portfolio_snapshots does not exist yet", Single(results, "pre.data-step:1.3.0/up/6").Summary);
    }

    [Fact]
    public async Task The_explain_check_passes_with_the_index_and_fails_with_a_collection_scan_once_it_is_dropped()
    {
        var (database, target) = await MigratedAsync("1.2.0");
        var analyses = Collection(database, "ai_analysis_results");
        await analyses.InsertManyAsync(Enumerable.Range(1, 20).Select(i => new BsonDocument
        {
            { "analysis_id", $"a-{i}" }, { "symbol", i % 2 == 0 ? "BTCUSDT" : "ETHUSDT" }, { "signal", "BUY" }, { "confidence", 0.5 },
            { "timestamp", DateTime.UtcNow.AddMinutes(-i) }, { "created_at", DateTime.UtcNow },
        }), cancellationToken: Token);
        var plan = Plan("0.0.0", "1.2.0");

        var indexed = await checks.RunOneAsync("post.explain:1.2.0#1", target, plan, Token);
        await analyses.Indexes.DropOneAsync("idx_ai_analysis_symbol_timestamp", Token);
        var scanned = await checks.RunOneAsync("post.explain:1.2.0#1", target, plan, Token);

        Assert.True(indexed.Passed, indexed.Summary);
        Assert.Equal("answered by an index scan of idx_ai_analysis_symbol_timestamp", indexed.Summary);
        Assert.Contains("IXSCAN idx_ai_analysis_symbol_timestamp", Assert.Single(indexed.Evidence));
        Assert.True(scanned.Blocks);
        Assert.Equal("the winning plan scans the collection itself (COLLSCAN)", scanned.Summary);
        Assert.Contains("COLLSCAN", Assert.Single(scanned.Evidence));
    }

    [Fact]
    public async Task Validate_passes_on_healthy_collections()
    {
        var (database, target) = await MigratedAsync("1.0.0");
        var user = User("grace@example.com");
        await Collection(database, "users").InsertOneAsync(user, cancellationToken: Token);
        await Collection(database, "trades").InsertOneAsync(Trade(user["_id"], 1), cancellationToken: Token);

        var result = await checks.RunOneAsync("post.validate", target, Plan("0.0.0", "1.0.0"), Token);

        Assert.True(result.Passed, string.Join("; ", result.Evidence));
        Assert.Contains(result.Evidence, line => line.StartsWith("users: valid (1 records)", StringComparison.Ordinal));
        Assert.Contains(result.Evidence, line => line.StartsWith("trades: valid (1 records)", StringComparison.Ordinal));
        // market_data is a time series: MongoDB 7 validates it too.
        Assert.Contains(result.Evidence, line => line.StartsWith("market_data: valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_full_run_every_post_migration_check_passes()
    {
        var (database, target) = NewTarget();
        var plan = Plan("0.0.0", "1.3.0");
        var before = await checks.CountAsync(target, plan, Token);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var user = User("linus@example.com");
        await Collection(database, "users").InsertOneAsync(user, cancellationToken: Token);
        await Collection(database, "trades").InsertOneAsync(Trade(user["_id"], 1), cancellationToken: Token);

        var results = await checks.RunPostMigrationAsync(target, plan, before, Token);

        Assert.Empty(before.Documents);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.CheckId}: {r.Summary} {string.Join("; ", r.Evidence)}"));
        Assert.Equal(["post.schema-version", "post.catalog", "post.validate", "post.document-counts", "post.confidence-range",
            "post.explain:1.0.0#1", "post.explain:1.2.0#1"], results.Select(r => r.CheckId));
        Assert.Contains("users: did not exist → 1", Single(results, "post.document-counts").Evidence);
    }

    /// <summary>
    /// On both backends (<see cref="ScenarioBackends"/>): the count check is a warning, since TTL indexes and the application delete
    /// documents during a run, so fewer documents after it are flagged for the DBA and never block. Only MongoDB holds documents to lose.
    /// </summary>
    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task Fewer_documents_after_a_run_are_flagged_by_the_count_check_as_a_warning_that_does_not_block(string backend)
    {
        using var scenario = ScenarioBackends.Start(backend, mongo);
        var portalChecks = scenario.Portal.Services.GetRequiredService<IIntegrityChecks>();
        var target = scenario.Portal.Targets.Get(scenario.Target);
        await scenario.Portal.MigrateAsync(scenario.Target, "1.2.0");
        var positions = scenario.Database?.GetCollection<BsonDocument>("positions");
        if (positions is not null)
        {
            await positions.InsertManyAsync([new BsonDocument("symbol", "BTCUSDT"), new BsonDocument("symbol", "ETHUSDT"), new BsonDocument("symbol", "SOLUSDT")],
                cancellationToken: Token);
        }
        var plan = Plan("1.2.0", "1.3.0");
        var before = await portalChecks.CountAsync(target, plan, Token);
        await scenario.Portal.MigrateAsync(scenario.Target, "1.3.0");
        if (positions is not null) await positions.DeleteOneAsync(new BsonDocument("symbol", "SOLUSDT"), Token);

        var results = await portalChecks.RunPostMigrationAsync(target, plan, before, Token);

        var counts = Single(results, "post.document-counts");
        Assert.Equal(CheckSeverity.Warning, counts.Severity);
        Assert.False(counts.Blocks);
        Assert.True(Single(results, "post.schema-version").Passed);
        if (positions is not null)
        {
            Assert.Equal(new Dictionary<string, long> { ["positions"] = 3 }, before.Documents);
            Assert.False(counts.Passed);
            Assert.Contains("positions: 3 → 2 (-1)", counts.Evidence);
            Assert.Contains("risk_metrics: did not exist → 0", counts.Evidence);
        }
    }

    private (IMongoDatabase Database, MongoMigrationTarget Target) NewTarget()
    {
        var database = mongo.NewDatabase();
        return (database, engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName));
    }

    private async Task<(IMongoDatabase Database, MongoMigrationTarget Target)> MigratedAsync(string version)
    {
        var (database, target) = NewTarget();
        Assert.True((await engine.MigrateAsync(target, version, cancellationToken: Token)).Succeeded);
        return (database, target);
    }

    private static IMongoCollection<BsonDocument> Collection(IMongoDatabase database, string name) => database.GetCollection<BsonDocument>(name);

    /// <summary>A user the 1.0.0 validator accepts.</summary>
    private static BsonDocument User(string email) => new()
    {
        { "_id", ObjectId.GenerateNewId() }, { "email", email }, { "password_hash", new string('h', 60) }, { "created_at", DateTime.UtcNow }, { "is_active", true },
    };

    /// <summary>A trade the 1.0.0 validator accepts, whatever its quantity.</summary>
    private static BsonDocument Trade(BsonValue userId, double quantity) => new()
    {
        { "_id", ObjectId.GenerateNewId() }, { "user_id", userId }, { "symbol", "BTCUSDT" }, { "side", "BUY" }, { "quantity", quantity }, { "created_at", DateTime.UtcNow },
    };

    private static string IdOf(BsonDocument document) => document["_id"].AsObjectId.ToString();
}
