using BotCore.MigrationPortal.Performance;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>
/// The watch's commands in the shapes the server takes, its readings of profiler and $currentOp documents (fields as the manual's
/// "Database Profiler Output" and "$currentOp" output pages list them), and the sentences it says when it cannot read either.
/// </summary>
public sealed class SlowOperationTests
{
    private static readonly DateTime From = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);

    private static SlowOperationWatch Watch => new(From, From.AddMinutes(30), ["trades", "users"], 100);

    [Fact]
    public void The_profiler_is_read_with_a_find_on_system_profile_by_namespace_time_and_duration()
    {
        Assert.Equal(BsonDocument.Parse("""
            { find: "system.profile",
              filter: { ns: { $in: ["botcore.trades", "botcore.users"] }, ts: { $gte: ISODate("2026-12-02T06:00:00Z"), $lte: ISODate("2026-12-02T06:10:00Z") },
                        millis: { $gte: 100 } },
              sort: { millis: -1 }, limit: 100 }
            """), SlowOperationSampler.ProfileQuery("botcore", Watch, From.AddMinutes(10)));
    }

    [Fact]
    public void Current_operations_are_read_with_a_current_op_aggregation_over_every_users_active_operations()
    {
        Assert.Equal(BsonDocument.Parse("""
            { aggregate: 1,
              pipeline: [ { $currentOp: { allUsers: true, idleConnections: false } },
                          { $match: { ns: { $in: ["botcore.trades", "botcore.users"] }, microsecs_running: { $gte: { $numberLong: "100000" } } } },
                          { $limit: 100 } ],
              cursor: { } }
            """), SlowOperationSampler.CurrentOpQuery("botcore", Watch));
    }

    [Fact]
    public void A_profiler_entry_reads_as_one_slow_operation()
    {
        var operation = SlowOperation.FromProfile(BsonDocument.Parse("""
            { op: "query", ns: "botcore.trades", command: { find: "trades", filter: { symbol: "BTCUSDT" } }, keysExamined: 0, docsExamined: 52311,
              nreturned: 20, millis: 231, planSummary: "COLLSCAN", ts: ISODate("2026-12-02T06:04:05Z"), client: "10.0.0.7", user: "botcore@admin" }
            """));

        Assert.Equal(("botcore.trades", "query", 231L, "COLLSCAN"), (operation.Namespace, operation.Operation, operation.Millis, operation.PlanSummary));
        Assert.Equal(From.AddMinutes(4).AddSeconds(5), operation.At);
    }

    [Fact]
    public void A_current_operation_reads_with_its_running_time_in_milliseconds()
    {
        var operation = SlowOperation.FromCurrentOp(BsonDocument.Parse("""
            { type: "op", opid: 4711, active: true, secs_running: { $numberLong: "2" }, microsecs_running: { $numberLong: "2503000" }, op: "update",
              ns: "botcore.users", planSummary: "IXSCAN { email: 1 }" }
            """), From);

        Assert.Equal(("opid 4711", "botcore.users", "update", 2503L, "IXSCAN { email: 1 }"),
            (operation.Id, operation.Namespace, operation.Operation, operation.Millis, operation.PlanSummary));
    }

    [Fact]
    public void Without_either_source_the_watch_names_what_is_missing_for_each()
    {
        var watch = Watch with { NotAvailable = PerformanceWords.NotAvailable(PerformanceWords.ProfilingOff, PerformanceWords.MissingInprog) };

        Assert.Equal("Slow operations: not available: profiling is off (level 0); enable with db.setProfilingLevel(1, { slowms: 100 }); " +
            "and $currentOp: missing privilege inprog on the cluster (the clusterMonitor role grants it)", watch.Summary);
    }

    [Fact]
    public void A_finished_watch_sums_up_what_it_found()
    {
        var watch = Watch with
        {
            Source = SlowOperationWatch.Profiler, Finished = true,
            Operations = [new SlowOperation("a", From, "botcore.trades", "query", 231, "COLLSCAN"), new SlowOperation("b", From, "botcore.users", "update", 120, null)],
        };

        Assert.Equal("Slow operations (profiler, 30 min after the run on trades, users): 2 operations slower than 100 ms, the slowest 231 ms", watch.Summary);
        Assert.Equal("Slow operations (profiler, 30 min after the run on trades, users): none slower than 100 ms",
            (Watch with { Source = SlowOperationWatch.Profiler, Finished = true }).Summary);
        Assert.Contains("so far", (Watch with { Source = SlowOperationWatch.CurrentOp }).Summary);
    }

    [Fact]
    public void A_simulated_watch_says_simulated_and_no_number()
    {
        Assert.Equal(PerformanceWords.SimulatedWatch, (Watch with { Simulated = true }).Summary);
    }
}
