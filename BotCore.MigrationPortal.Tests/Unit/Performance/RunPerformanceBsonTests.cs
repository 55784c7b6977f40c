using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Runs;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>A run's performance survives the portal store (MongoRunStore), and a run stored before it existed reads without it.</summary>
public sealed class RunPerformanceBsonTests
{
    public RunPerformanceBsonTests() => PortalBson.Register();

    private static readonly DateTime At = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);

    private static MigrationRun Run(RunPerformance? performance) => new()
    {
        Id = "run-1", Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Parse("1.2.0"), To = SchemaVersion.Parse("1.3.0"), Checksums = [],
        RequestedBy = "olga", State = RunState.Succeeded, Performance = performance,
    };

    [Fact]
    public void Measurements_and_the_watch_come_back_equal()
    {
        var stats = new QueryStats(3, 3, 3, 1, "LIMIT > FETCH > IXSCAN idx_trades_user_created", ["idx_trades_user_created"], false);
        var performance = new RunPerformance
        {
            Queries = [new CriticalQueryPerformance("1.0.0#1", "trades", "a user's latest trades", "db.trades.find()", QueryMeasurement.Of(At, stats),
                QueryMeasurement.Unavailable(At, PerformanceWords.MissingFind("trades")))],
            Watch = new SlowOperationWatch(At, At.AddMinutes(30), ["trades"], 100)
            {
                Source = SlowOperationWatch.Profiler, Samples = 2, LastSampledAt = At.AddMinutes(5),
                Operations = [new SlowOperation("x", At, "botcore.trades", "query", 231, "COLLSCAN")],
            },
        };

        var document = Run(performance).ToBsonDocument();
        var back = BsonSerializer.Deserialize<MigrationRun>(document).Performance!;

        var query = Assert.Single(back.Queries);
        Assert.Equal(performance.Queries[0] with { Before = null }, query with { Before = null });
        Assert.Equal(stats with { Indexes = [] }, query.Before!.Stats! with { Indexes = [] });
        Assert.Equal(stats.Indexes, query.Before.Stats.Indexes);
        Assert.Equal(performance.Watch with { Operations = [], Collections = [] }, back.Watch! with { Operations = [], Collections = [] });
        Assert.Equal(performance.Watch.Operations, back.Watch.Operations);
        Assert.Equal(231, document["performance"]["watch"]["operations"][0]["millis"].ToInt64());
        Assert.False(document["performance"]["queries"][0].AsBsonDocument.Contains("comparison"));
    }

    [Fact]
    public void A_run_stored_before_performance_was_recorded_reads_with_none()
    {
        var document = Run(null).ToBsonDocument();
        document.Remove("performance");

        Assert.Null(BsonSerializer.Deserialize<MigrationRun>(document).Performance);
    }
}
