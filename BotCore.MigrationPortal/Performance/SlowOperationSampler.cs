using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// Takes one sample of a <see cref="SlowOperationWatch"/>. The database profiler first: it keeps every slow operation, so one read of
/// <c>system.profile</c> from the run's end to now is the whole window so far (each sample replaces the last). It needs profiling at level
/// 1 or 2 and <c>find</c> on <c>system.profile</c>. Otherwise <c>$currentOp</c>, which sees only what runs at the moment of the sample
/// (kept and added up across samples), and needs <c>inprog</c>. Otherwise the watch says what is missing.
/// </summary>
public sealed class SlowOperationSampler(TimeProvider time, ILogger<SlowOperationSampler> logger)
{
    private const int Unauthorized = 13;
    private const int Limit = 100;

    public async Task<SlowOperationWatch> SampleAsync(IMigrationTarget target, SlowOperationWatch watch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sampled = watch with { Samples = watch.Samples + 1, LastSampledAt = now, Finished = now >= watch.Until };
        if (target.IsSandbox) return sampled with { Simulated = true, Finished = true };
        if (CheckContext.DatabaseOf(target) is not { } database)
        {
            return sampled with { NotAvailable = $"not available: target {target.Name} gives no access to a MongoDB database", Finished = true };
        }
        var until = now < watch.Until ? now : watch.Until;
        var (profiled, profiler) = await ProfilerAsync(database, watch, until, cancellationToken);
        if (profiled is not null) return sampled with { Source = SlowOperationWatch.Profiler, NotAvailable = null, Operations = profiled };
        var (running, currentOp) = await CurrentOpAsync(database, watch, now, cancellationToken);
        if (running is not null)
        {
            // A long operation seen by two samples is one operation, at the longest it was seen running.
            var operations = watch.Operations.Concat(running).GroupBy(o => o.Id).Select(g => g.MaxBy(o => o.Millis)!).OrderBy(o => o.At).ToList();
            return sampled with { Source = SlowOperationWatch.CurrentOp, NotAvailable = null, Operations = operations };
        }
        return sampled with { NotAvailable = PerformanceWords.NotAvailable(profiler!, currentOp!) };
    }

    /// <summary>The profiler's slow operations on the watched collections, or why they cannot be read.</summary>
    private async Task<(IReadOnlyList<SlowOperation>? Operations, string? Why)> ProfilerAsync(IMongoDatabase database, SlowOperationWatch watch, DateTime until,
        CancellationToken cancellationToken)
    {
        try
        {
            // { profile: -1 } only reads the level: it needs no more than find on system.profile (the server's ProfileCmdBase::checkAuthForCommand).
            var status = await database.RunCommandAsync<BsonDocument>(new BsonDocument("profile", -1), cancellationToken: cancellationToken);
            if (status.GetValue("was", 0).ToInt32() < 1) return (null, PerformanceWords.ProfilingOff);
            var reply = await database.RunCommandAsync<BsonDocument>(ProfileQuery(database.DatabaseNamespace.DatabaseName, watch, until),
                cancellationToken: cancellationToken);
            return (FirstBatch(reply).Select(SlowOperation.FromProfile).ToList(), null);
        }
        catch (MongoCommandException e) when (e.Code == Unauthorized)
        {
            return (null, PerformanceWords.MissingProfileRead);
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            logger.LogWarning(e, "Reading the profiler of {Database} failed", database.DatabaseNamespace.DatabaseName);
            return (null, $"the profiler could not be read ({e.Message})");
        }
    }

    /// <summary>The operations on the watched collections running now for longer than the threshold, or why they cannot be read.</summary>
    private async Task<(IReadOnlyList<SlowOperation>? Operations, string? Why)> CurrentOpAsync(IMongoDatabase database, SlowOperationWatch watch, DateTime now,
        CancellationToken cancellationToken)
    {
        try
        {
            var admin = database.Client.GetDatabase("admin");
            var reply = await admin.RunCommandAsync<BsonDocument>(CurrentOpQuery(database.DatabaseNamespace.DatabaseName, watch), cancellationToken: cancellationToken);
            return (FirstBatch(reply).Select(operation => SlowOperation.FromCurrentOp(operation, now)).ToList(), null);
        }
        catch (MongoCommandException e) when (e.Code == Unauthorized)
        {
            return (null, PerformanceWords.MissingInprog);
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            logger.LogWarning(e, "$currentOp on the server of {Database} failed", database.DatabaseNamespace.DatabaseName);
            return (null, $"$currentOp could not be run ({e.Message})");
        }
    }

    /// <summary>
    /// <c>{ find: "system.profile", filter: { ns: { $in }, ts: { $gte, $lte }, millis: { $gte } }, sort: { millis: -1 }, limit }</c>: the slowest first.
    /// </summary>
    public static BsonDocument ProfileQuery(string databaseName, SlowOperationWatch watch, DateTime until) => new()
    {
        { "find", "system.profile" },
        {
            "filter", new BsonDocument
            {
                { "ns", new BsonDocument("$in", Namespaces(databaseName, watch)) },
                { "ts", new BsonDocument { { "$gte", watch.From }, { "$lte", until } } },
                { "millis", new BsonDocument("$gte", watch.SlowMs) },
            }
        },
        { "sort", new BsonDocument("millis", -1) },
        { "limit", Limit },
    };

    /// <summary>
    /// <c>{ aggregate: 1, pipeline: [{ $currentOp: { allUsers: true, idleConnections: false } }, { $match: { ns: { $in }, microsecs_running: { $gte } } }], cursor: {} }</c>,
    /// run on admin: every user's active operations (allUsers needs inprog), not idle connections.
    /// </summary>
    public static BsonDocument CurrentOpQuery(string databaseName, SlowOperationWatch watch) => new()
    {
        { "aggregate", 1 },
        {
            "pipeline", new BsonArray
            {
                new BsonDocument("$currentOp", new BsonDocument { { "allUsers", true }, { "idleConnections", false } }),
                new BsonDocument("$match", new BsonDocument
                {
                    { "ns", new BsonDocument("$in", Namespaces(databaseName, watch)) },
                    { "microsecs_running", new BsonDocument("$gte", watch.SlowMs * 1000L) },
                }),
                new BsonDocument("$limit", Limit),
            }
        },
        { "cursor", new BsonDocument() },
    };

    private static BsonArray Namespaces(string databaseName, SlowOperationWatch watch) => new(watch.Collections.Select(c => $"{databaseName}.{c}"));

    private static IEnumerable<BsonDocument> FirstBatch(BsonDocument reply) =>
        reply.GetValue("cursor", BsonNull.Value) is BsonDocument cursor && cursor.GetValue("firstBatch", BsonNull.Value) is BsonArray batch
            ? batch.OfType<BsonDocument>()
            : [];
}
