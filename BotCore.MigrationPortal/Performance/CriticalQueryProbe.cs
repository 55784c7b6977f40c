using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// Measures the critical queries of a plan's migrations with <c>explain</c> at verbosity <c>executionStats</c>, which runs the query
/// (with the application's limit) and reports what it examined. Explain needs the privileges of the query it explains: <c>find</c> on
/// the collection. A query that cannot be measured says why; it never fails the run.
/// </summary>
public sealed class CriticalQueryProbe(TimeProvider time, ILogger<CriticalQueryProbe> logger)
{
    private const int Unauthorized = 13;

    /// <summary>Each critical query the plan's migrations declare, in their order, with the id the post-run explain check gives it.</summary>
    public static IEnumerable<(string Id, CriticalQuery Query)> QueriesOf(MigrationPlan plan) =>
        plan.Migrations.SelectMany(m => m.Migration.CriticalQueries.Select((query, i) => ($"{m.Version}#{i + 1}", query)));

    /// <param name="after">Which side of the run this measurement is: recorded in <see cref="CriticalQueryPerformance.Before"/> or <see cref="CriticalQueryPerformance.After"/>.</param>
    public async Task<IReadOnlyList<CriticalQueryPerformance>> MeasureAsync(IMigrationTarget target, MigrationPlan plan, bool after, CancellationToken cancellationToken)
    {
        var measured = new List<CriticalQueryPerformance>();
        foreach (var (id, query) in QueriesOf(plan))
        {
            var measurement = await MeasureAsync(target, query, cancellationToken);
            measured.Add(new CriticalQueryPerformance(id, query.Collection, query.Description, Shape(query),
                after ? null : measurement, after ? measurement : null));
        }
        return measured;
    }

    private async Task<QueryMeasurement> MeasureAsync(IMigrationTarget target, CriticalQuery query, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow().UtcDateTime;
        if (target.IsSandbox) return QueryMeasurement.SimulatedAt(at);
        if (CheckContext.DatabaseOf(target) is not { } database)
        {
            return QueryMeasurement.Unavailable(at, $"not available: target {target.Name} gives no access to a MongoDB database");
        }
        try
        {
            var reply = await database.RunCommandAsync<BsonDocument>(Command(query), cancellationToken: cancellationToken);
            return QueryMeasurement.Of(at, ExecutionStatsReader.Read(reply));
        }
        catch (MongoCommandException e) when (e.Code == Unauthorized)
        {
            return QueryMeasurement.Unavailable(at, PerformanceWords.MissingFind(query.Collection));
        }
        // Measuring never stops a run from settling: an unreachable server (the driver's TimeoutException) or an odd reply is reported, not thrown.
        catch (Exception e) when (e is MongoException or MigrationEngineException or TimeoutException)
        {
            logger.LogWarning(e, "explain of a critical query on {Collection} failed", query.Collection);
            return QueryMeasurement.Unavailable(at, $"not available: explain failed ({e.Message})");
        }
    }

    /// <summary>
    /// The documented explain command around the application's find (the driver has no typed explain):
    /// <c>{ explain: { find, filter, sort, limit, projection? }, verbosity: "executionStats" }</c>.
    /// </summary>
    public static BsonDocument Command(CriticalQuery query)
    {
        var find = new BsonDocument { { "find", query.Collection }, { "filter", query.Filter }, { "sort", query.Sort }, { "limit", query.Limit } };
        if (query.Projection is { } projection) find.Add("projection", projection);
        return new BsonDocument { { "explain", find }, { "verbosity", "executionStats" } };
    }

    /// <summary>The same query as a DBA types it in mongosh to look again.</summary>
    public static string Shape(CriticalQuery query) =>
        $"db.{query.Collection}.find({CatalogJson.Inline(query.Filter)}{(query.Projection is { } p ? $", {CatalogJson.Inline(p)}" : "")})" +
        $".sort({CatalogJson.Inline(query.Sort)}).limit({query.Limit}).explain(\"executionStats\")";
}
