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
        $"(declared by {declaredBy}): the winning plan must contain an IXSCAN and no COLLSCAN.",
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
        if (plan.IsIndexed) return CheckFinding.Pass($"answered by an index scan of {string.Join(", ", plan.IndexNames)}", evidence);
        return CheckFinding.Fail(plan.HasCollectionScan ? "the winning plan scans the whole collection (COLLSCAN)" : "the winning plan has no index scan", evidence);
    }
}
