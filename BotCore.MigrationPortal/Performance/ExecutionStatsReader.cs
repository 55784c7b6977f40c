using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// Reads the reply of <c>explain</c> at verbosity <c>executionStats</c>: <c>executionStats.{nReturned, executionTimeMillis,
/// totalKeysExamined, totalDocsExamined}</c> (the manual's "Explain Results"), and the winning plan through <see cref="ExplainPlan"/>,
/// the one reader of plans. A find on a time-series collection is explained as an aggregation over its buckets: its numbers are then
/// in <c>stages[0].$cursor.executionStats</c>, beside its plan.
/// </summary>
public static class ExecutionStatsReader
{
    /// <exception cref="MigrationEngineException">The reply has no executionStats (at either place) or no winning plan.</exception>
    public static QueryStats Read(BsonDocument explain)
    {
        var stats = StatsOf(explain) ?? StatsOf(FirstCursorStage(explain))
            ?? throw new MigrationEngineException("The explain reply has neither executionStats nor stages[0].$cursor.executionStats: " + CatalogJson.Inline(explain));
        var plan = ExplainPlan.FromExplain(explain);
        return new QueryStats(
            Number(stats, "totalKeysExamined"),
            Number(stats, "totalDocsExamined"),
            Number(stats, "nReturned"),
            Number(stats, "executionTimeMillis"),
            plan.ToString(),
            plan.IndexNames.ToList(),
            plan.HasCollectionScan);
    }

    private static BsonDocument? StatsOf(BsonDocument? explain) =>
        explain?.GetValue("executionStats", BsonNull.Value) as BsonDocument;

    private static BsonDocument? FirstCursorStage(BsonDocument explain) =>
        explain.GetValue("stages", BsonNull.Value) is BsonArray { Count: > 0 } stages && stages[0] is BsonDocument first
            ? first.GetValue("$cursor", BsonNull.Value) as BsonDocument
            : null;

    // The server writes these as int32 or int64 depending on size (and doubles through some drivers' shells): any number reads.
    private static long Number(BsonDocument stats, string name) =>
        stats.GetValue(name, BsonNull.Value) is { IsNumeric: true } value ? value.ToInt64() : 0;
}
