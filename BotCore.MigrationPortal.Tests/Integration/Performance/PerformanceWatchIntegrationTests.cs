using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Integration.Performance;

/// <summary>
/// The performance watch's commands against a real MongoDB 7 (skipped, with the reason, where there is none), as the target's user
/// the README documents (readWrite and dbAdmin on the database, no cluster role): explain at executionStats, the profiler read with
/// find on system.profile, and $currentOp refused for want of inprog.
/// </summary>
public sealed class PerformanceWatchIntegrationTests(MongoFixture mongo)
{
    private readonly EngineHarness engine = new();
    private readonly CriticalQueryProbe probe = new(TimeProvider.System, NullLogger<CriticalQueryProbe>.Instance);
    private readonly SlowOperationSampler sampler = new(TimeProvider.System, NullLogger<SlowOperationSampler>.Instance);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_critical_query_of_1_0_0_is_measured_with_its_index_and_real_numbers()
    {
        var (database, target) = await MigratedAsync("1.0.0");
        var user = ObjectId.Parse("000000000000000000000000");
        await database.GetCollection<BsonDocument>("trades").InsertManyAsync(
            Enumerable.Range(0, 3).Select(i => new BsonDocument
            {
                { "user_id", user }, { "symbol", "BTCUSDT" }, { "side", "BUY" }, { "quantity", 1.0 }, { "created_at", DateTime.UtcNow.AddMinutes(-i) },
            }), cancellationToken: Token);

        var measured = Assert.Single(await probe.MeasureAsync(target, Plan("0.0.0", "1.0.0"), after: true, Token));

        var stats = Assert.IsType<QueryStats>(measured.After!.Stats);
        Assert.Equal(["idx_trades_user_created"], stats.Indexes);
        Assert.False(stats.CollectionScan);
        Assert.Equal((3L, 3L), (stats.Returned, stats.KeysExamined));
        Assert.Null(measured.Before);
    }

    [Fact]
    public async Task With_profiling_off_and_no_inprog_the_watch_names_both_and_how_to_enable_profiling()
    {
        Assert.SkipUnless(mongo.RolesEnforced, "the server enforces no role, so the missing inprog privilege cannot be observed");
        var (_, target) = await MigratedAsync("1.0.0");

        var watch = await sampler.SampleAsync(target, Watch(), Token);

        Assert.Equal(PerformanceWords.NotAvailable(PerformanceWords.ProfilingOff, PerformanceWords.MissingInprog), watch.NotAvailable);
        Assert.Null(watch.Source);
        Assert.Equal(1, watch.Samples);
    }

    [Fact]
    public async Task With_profiling_on_the_slow_operations_on_the_watched_collections_are_read_from_system_profile()
    {
        var (database, target) = await MigratedAsync("1.0.0");
        // The server's clock, which stamps system.profile's ts: a remote server's may differ from this machine's by more than a second.
        var hello = await mongo.AsAdmin(database).RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: Token);
        var from = hello["localTime"].ToUniversalTime().AddSeconds(-1);
        // Every operation is "slow" at slowms 0; dbAdmin grants enableProfiler, but setting it is a DBA's decision, so the admin does it here.
        await mongo.AsAdmin(database).RunCommandAsync<BsonDocument>(new BsonDocument { { "profile", 1 }, { "slowms", 0 } }, cancellationToken: Token);
        await database.GetCollection<BsonDocument>("trades").Find(new BsonDocument("symbol", "ETHUSDT")).ToListAsync(Token);
        await database.GetCollection<BsonDocument>("market_data").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Token);

        var watch = await sampler.SampleAsync(target, Watch(from) with { SlowMs = 0 }, Token);

        Assert.Equal(SlowOperationWatch.Profiler, watch.Source);
        Assert.Null(watch.NotAvailable);
        var name = database.DatabaseNamespace.DatabaseName;
        Assert.Contains(watch.Operations, o => o.Namespace == $"{name}.trades" && o.Operation == "query" && o.PlanSummary == "COLLSCAN");
        Assert.All(watch.Operations, o => Assert.Contains(o.Namespace, new[] { $"{name}.trades", $"{name}.users" }));
    }

    private static SlowOperationWatch Watch(DateTime? from = null)
    {
        var start = from ?? DateTime.UtcNow;
        return new SlowOperationWatch(start, start.AddMinutes(30), ["trades", "users"], 100);
    }

    private async Task<(IMongoDatabase Database, MongoMigrationTarget Target)> MigratedAsync(string version)
    {
        var database = mongo.NewDatabase();
        var target = engine.Mongo(database.Client, database.DatabaseNamespace.DatabaseName);
        Assert.True((await engine.MigrateAsync(target, version, cancellationToken: Token)).Succeeded);
        return (database, target);
    }
}
