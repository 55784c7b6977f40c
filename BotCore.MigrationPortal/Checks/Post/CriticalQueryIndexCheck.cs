using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>
/// The spec's "verify performance (index usage)": a query a migration declares critical is answered by an index scan.
/// explain runs the planner only, never the query.
/// </summary>
/// <param name="number">The query's position among its migration's critical queries, from 1.</param>
internal sealed class CriticalQueryIndexCheck(SchemaVersion declaredBy, int number, CriticalQuery query) : DatabaseCheck
{
    public const string IdPrefix = "post.explain:";

    public override CheckDescriptor Descriptor { get; } = new($"{IdPrefix}{declaredBy}#{number}",
        $"Critical query uses an index: {query.Description} ({query.Collection})",
        $"explain of find {CatalogJson.Inline(query.Filter)} sort {CatalogJson.Inline(query.Sort)} limit {query.Limit} on {query.Collection} " +
        $"(declared by {declaredBy}): the winning plan must scan {query.ExpectedIndex} and no collection.",
        CheckPhase.PostMigration, CheckSeverity.Blocking);

    protected override string WhenSimulated => "simulated: the sandbox has no query planner, so explain was not run (the catalog check verifies the indexes)";

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        if (!context.Exists(query.Collection))
        {
            return CheckFinding.Fail($"collection {query.Collection} does not exist, so no index can answer the query");
        }
        var plan = await ExplainPlan.OfAsync(database, query, cancellationToken);
        var evidence = $"winning plan: {plan}";
        if (plan.IsIndexed && plan.IndexNames.Contains(query.ExpectedIndex)) return CheckFinding.Pass($"answered by an index scan of {query.ExpectedIndex}", evidence);
        // Another index may serve the sort alone (a TTL index on the sort field, scanned backwards): not what the migration built.
        if (plan.IsIndexed) return CheckFinding.Fail($"answered by {string.Join(", ", plan.IndexNames)}, not by {query.ExpectedIndex}, the index created for it", evidence);
        return CheckFinding.Fail(plan.HasCollectionScan ? $"the winning plan scans the collection itself ({string.Join(", ", plan.CollectionScanNames)})"
            : "the winning plan has no index scan", evidence);
    }
}
