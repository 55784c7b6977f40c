using BotCore.MigrationPortal.Checks.Mongo;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>
/// The spec's "check collection counts": the documents of each touched collection, after the run against before it.
/// On demand there is no "before", so the current counts are shown.
/// </summary>
internal sealed class DocumentCountsCheck : DatabaseCheck
{
    public const string Id = "post.document-counts";

    // A warning, not a block: TTL indexes (trades, ai_analysis_results, market_data) and the application keep deleting
    // documents during a zero-downtime run, so fewer after is for the DBA to judge, not a reason to fail the run.
    public override CheckDescriptor Descriptor { get; } = new(Id, "No documents lost",
        "Documents per touched collection, before and after the run: fewer after is flagged (a data step never deletes; TTL and the application may), more is shown.",
        CheckPhase.PostMigration, CheckSeverity.Warning);

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        var names = context.Plan.TouchedCollections.Concat(context.Before?.Documents.Keys ?? []).Distinct(StringComparer.Ordinal).Where(context.Exists);
        var after = await DocumentCounts.CountAsync(database, names, cancellationToken);
        if (context.Before is not { } before)
        {
            return CheckFinding.Pass("no counts from before a run to compare with: the current counts are shown",
                after.Select(pair => $"{pair.Key}: {pair.Value:N0}"));
        }
        var comparison = CountComparison.Compare(
            before.Documents, after, context.Registry.ExpectedCatalogAt(context.Plan.To), context.Registry.ApplicationOwnedCollections);
        return comparison with { Evidence = [$"counted before the run at {before.At:u}", .. comparison.Evidence] };
    }
}
