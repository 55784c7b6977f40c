using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>One stage of a winning plan, with the index it scans (for index scans) and the stages that feed it.</summary>
public sealed record PlanStage(string Name, string? IndexName, IReadOnlyList<PlanStage> Inputs)
{
    /// <summary>
    /// The stages that read a secondary index, by name: IXSCAN, EXPRESS_IXSCAN (MongoDB 8's fast path for simple lookups), IDHACK
    /// (the _id index), COUNT_SCAN and DISTINCT_SCAN. Named one by one because CLUSTERED_IXSCAN, despite its name, scans the
    /// collection itself in cluster-key order (a time series' buckets): it is no index of the migration's.
    /// </summary>
    private static readonly IReadOnlySet<string> IndexScans = new HashSet<string>(StringComparer.Ordinal)
    {
        "IXSCAN", "EXPRESS_IXSCAN", "IDHACK", "COUNT_SCAN", "DISTINCT_SCAN",
    };

    /// <summary>A scan of the collection itself: the whole of it, or a range of a clustered collection's cluster key.</summary>
    private static readonly IReadOnlySet<string> CollectionScans = new HashSet<string>(StringComparer.Ordinal) { "COLLSCAN", "CLUSTERED_IXSCAN" };

    public bool IsIndexScan => IndexScans.Contains(Name);

    public bool IsCollectionScan => CollectionScans.Contains(Name);

    public IEnumerable<PlanStage> SelfAndInputs => Inputs.SelectMany(input => input.SelfAndInputs).Prepend(this);

    /// <summary>"LIMIT > FETCH > IXSCAN idx_…"; several inputs are shown as "OR(IXSCAN a | IXSCAN b)".</summary>
    public override string ToString()
    {
        var self = IndexName is null ? Name : $"{Name} {IndexName}";
        return Inputs.Count switch
        {
            0 => self,
            1 => $"{self} > {Inputs[0]}",
            _ => $"{self}({string.Join(" | ", Inputs)})",
        };
    }
}

/// <summary>
/// The winning plan of a query, read from the <c>explain</c> command's <c>queryPlanner.winningPlan</c>: the spec's
/// "Verify performance (index usage)". The spec looks at the top stage only, but an index scan sits under FETCH, SORT
/// or LIMIT, so the whole tree is walked. A find on a time-series collection is run as an aggregation over its buckets,
/// and its explain has the plan at <c>stages[0].$cursor.queryPlanner.winningPlan</c> instead.
/// </summary>
public sealed record ExplainPlan(PlanStage Root)
{
    /// <summary>The keys that hold a single input stage: the usual one, and the two sides of a join.</summary>
    private static readonly string[] SingleInputs = ["inputStage", "outerStage", "innerStage"];

    public IEnumerable<PlanStage> Stages => Root.SelfAndInputs;

    public bool UsesIndexScan => Stages.Any(stage => stage.IsIndexScan);

    public bool HasCollectionScan => Stages.Any(stage => stage.IsCollectionScan);

    /// <summary>An index scan and no collection scan anywhere in the plan.</summary>
    public bool IsIndexed => UsesIndexScan && !HasCollectionScan;

    public IEnumerable<string> IndexNames => Stages.Where(stage => stage.IsIndexScan).Select(stage => stage.IndexName ?? "?").Distinct();

    public IEnumerable<string> CollectionScanNames => Stages.Where(stage => stage.IsCollectionScan).Select(stage => stage.Name).Distinct();

    public override string ToString() => Root.ToString();

    /// <summary>
    /// The winning plan of an explain reply: of a find, or of the aggregation a find on a time-series collection becomes. Through
    /// mongos, that aggregation's explain has no plan of its own but <c>shards: {&lt;shard name&gt;: {host, stages | queryPlanner}}</c>,
    /// a document keyed by shard (a find's explain has an array, read in <see cref="Inputs"/>); each shard's plan is read as above and
    /// the shards are put under one <c>SHARD_MERGE</c> stage, the name mongos gives the same merge in a find's explain.
    /// </summary>
    /// <exception cref="MigrationEngineException">The reply has neither queryPlanner.winningPlan nor stages[0].$cursor.queryPlanner.winningPlan, itself or per shard.</exception>
    public static ExplainPlan FromExplain(BsonDocument explain) =>
        (Of(explain) ?? OfShards(explain)) is { } root
            ? new ExplainPlan(root)
            : throw new MigrationEngineException(
                "The explain reply has neither queryPlanner.winningPlan nor stages[0].$cursor.queryPlanner.winningPlan, itself or per shard: "
                + CatalogJson.Inline(explain));

    private static PlanStage? Of(BsonDocument explain) =>
        (WinningPlan(explain) ?? WinningPlan(FirstCursorStage(explain))) is { } plan ? Read(plan) : null;

    /// <summary>An aggregation's explain through mongos: <c>shards</c> keyed by shard name. Null unless every shard shows its plan.</summary>
    private static PlanStage? OfShards(BsonDocument explain)
    {
        if (explain.GetValue("shards", BsonNull.Value) is not BsonDocument { ElementCount: > 0 } shards) return null;
        var plans = shards.Select(shard => shard.Value is BsonDocument reply ? Of(reply) : null).ToList();
        if (plans.Any(plan => plan is null)) return null;
        return plans.Count == 1 ? plans[0] : new PlanStage("SHARD_MERGE", null, plans!);
    }

    /// <summary>Explains a critical query as the application runs it (filter, sort, limit), without running it.</summary>
    public static async Task<ExplainPlan> OfAsync(IMongoDatabase database, CriticalQuery query, CancellationToken cancellationToken)
    {
        // The driver has no typed explain: this is the documented explain command around a find, planner stage only.
        var command = new BsonDocument
        {
            { "explain", new BsonDocument { { "find", query.Collection }, { "filter", query.Filter }, { "sort", query.Sort }, { "limit", query.Limit } } },
            { "verbosity", "queryPlanner" },
        };
        return FromExplain(await database.RunCommandAsync<BsonDocument>(command, cancellationToken: cancellationToken));
    }

    private static BsonDocument? WinningPlan(BsonDocument? explain) =>
        explain?.GetValue("queryPlanner", BsonNull.Value) is BsonDocument planner && planner.GetValue("winningPlan", BsonNull.Value) is BsonDocument plan ? plan : null;

    /// <summary>The <c>$cursor</c> stage an aggregation's explain starts with: the part of the pipeline the query planner ran.</summary>
    private static BsonDocument? FirstCursorStage(BsonDocument explain) =>
        explain.GetValue("stages", BsonNull.Value) is BsonArray { Count: > 0 } stages && stages[0] is BsonDocument first
        && first.GetValue("$cursor", BsonNull.Value) is BsonDocument cursor
            ? cursor
            : null;

    private static PlanStage Read(BsonDocument node)
    {
        // The slot-based engine wraps the classic-looking tree: winningPlan: { queryPlan: {...}, slotBasedPlan: {...} }.
        if (!node.Contains("stage") && node.GetValue("queryPlan", BsonNull.Value) is BsonDocument queryPlan) return Read(queryPlan);
        var name = node.GetValue("stage", "?").ToString()!;
        return new PlanStage(
            name,
            // IDHACK names no index: it is always the one on _id.
            node.GetValue("indexName", BsonNull.Value) is { IsString: true } index ? index.AsString : name == "IDHACK" ? "_id_" : null,
            Inputs(node).Select(Read).ToList());
    }

    /// <summary>A stage's inputs: one, several (OR, SORT_MERGE), the sides of a join, or the shards of a sharded cluster.</summary>
    private static IEnumerable<BsonDocument> Inputs(BsonDocument node)
    {
        foreach (var key in SingleInputs)
        {
            if (node.GetValue(key, BsonNull.Value) is BsonDocument input) yield return input;
        }
        foreach (var input in Documents(node, "inputStages")) yield return input;
        foreach (var shard in Documents(node, "shards"))
        {
            if (shard.GetValue("winningPlan", BsonNull.Value) is BsonDocument plan) yield return plan;
        }
    }

    private static IEnumerable<BsonDocument> Documents(BsonDocument node, string key) =>
        node.GetValue(key, BsonNull.Value) is BsonArray array ? array.OfType<BsonDocument>() : [];
}
