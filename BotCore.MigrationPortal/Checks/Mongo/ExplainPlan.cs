using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>One stage of a winning plan, with the index it scans (for index scans) and the stages that feed it.</summary>
public sealed record PlanStage(string Name, string? IndexName, IReadOnlyList<PlanStage> Inputs)
{
    /// <summary>IXSCAN, and EXPRESS_IXSCAN (MongoDB 8's fast path for simple index lookups).</summary>
    public bool IsIndexScan => Name.EndsWith("IXSCAN", StringComparison.Ordinal);

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
/// or LIMIT, so the whole tree is walked.
/// </summary>
public sealed record ExplainPlan(PlanStage Root)
{
    /// <summary>The keys that hold a single input stage: the usual one, and the two sides of a join.</summary>
    private static readonly string[] SingleInputs = ["inputStage", "outerStage", "innerStage"];

    public IEnumerable<PlanStage> Stages => Root.SelfAndInputs;

    public bool UsesIndexScan => Stages.Any(stage => stage.IsIndexScan);

    public bool HasCollectionScan => Stages.Any(stage => stage.Name == "COLLSCAN");

    /// <summary>An index scan and no collection scan anywhere in the plan.</summary>
    public bool IsIndexed => UsesIndexScan && !HasCollectionScan;

    public IEnumerable<string> IndexNames => Stages.Where(stage => stage.IsIndexScan).Select(stage => stage.IndexName ?? "?").Distinct();

    public override string ToString() => Root.ToString();

    /// <summary>The winning plan of an explain reply.</summary>
    /// <exception cref="MigrationEngineException">The reply has no queryPlanner.winningPlan.</exception>
    public static ExplainPlan FromExplain(BsonDocument explain) =>
        explain.TryGetValue("queryPlanner", out var planner) && planner is BsonDocument queryPlanner
        && queryPlanner.TryGetValue("winningPlan", out var winning) && winning is BsonDocument plan
            ? new ExplainPlan(Read(plan))
            : throw new MigrationEngineException($"The explain reply has no queryPlanner.winningPlan: {CatalogJson.Inline(explain)}");

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

    private static PlanStage Read(BsonDocument node)
    {
        // The slot-based engine wraps the classic-looking tree: winningPlan: { queryPlan: {...}, slotBasedPlan: {...} }.
        if (!node.Contains("stage") && node.GetValue("queryPlan", BsonNull.Value) is BsonDocument queryPlan) return Read(queryPlan);
        return new PlanStage(
            node.GetValue("stage", "?").ToString()!,
            node.GetValue("indexName", BsonNull.Value) is { IsString: true } index ? index.AsString : null,
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
