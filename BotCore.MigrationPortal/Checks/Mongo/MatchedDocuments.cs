using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>How many documents a query matched, and the first few of them to show as evidence.</summary>
public sealed record MatchedDocuments(long Count, IReadOnlyList<BsonDocument> Sample)
{
    /// <summary>Enough for a DBA to look a problem up, few enough to read.</summary>
    public const int SampleSize = 5;

    /// <summary>
    /// Counts what <paramref name="matches"/> yields and keeps the first few, projected to <paramref name="shown"/>, in one pass:
    /// <c>$facet</c> feeds both from the same stream, so the collection is read once.
    /// </summary>
    public static async Task<MatchedDocuments> OfAsync(IAggregateFluent<BsonDocument> matches, ProjectionDefinition<BsonDocument, BsonDocument> shown,
        CancellationToken cancellationToken)
    {
        var facets = await matches.Facet(
                AggregateFacet.Create("count", new EmptyPipelineDefinition<BsonDocument>().Count()),
                AggregateFacet.Create("sample", new EmptyPipelineDefinition<BsonDocument>().Limit(SampleSize).Project(shown)))
            .SingleAsync(cancellationToken);
        return new MatchedDocuments(
            facets.Facets[0].Output<AggregateCountResult>().SingleOrDefault()?.Count ?? 0,
            facets.Facets[1].Output<BsonDocument>());
    }

    /// <summary>The documents of <paramref name="collection"/> that match <paramref name="filter"/>.</summary>
    public static Task<MatchedDocuments> FindAsync(IMongoCollection<BsonDocument> collection, FilterDefinition<BsonDocument> filter,
        ProjectionDefinition<BsonDocument, BsonDocument> shown, CancellationToken cancellationToken) =>
        OfAsync(collection.Aggregate(LargeCollections).Match(filter), shown, cancellationToken);

    /// <summary>A projection that keeps only <paramref name="fields"/>.</summary>
    public static ProjectionDefinition<BsonDocument, BsonDocument> Fields(IEnumerable<string> fields) =>
        Builders<BsonDocument>.Projection.Combine(fields.Distinct(StringComparer.Ordinal).Select(field => Builders<BsonDocument>.Projection.Include(field)));

    /// <summary>Groups and sorts over a large collection may spill to disk rather than fail at the 100 MB memory limit.</summary>
    public static AggregateOptions LargeCollections { get; } = new() { AllowDiskUse = true };

    /// <summary>The sample, one document per line (as JSON unless <paramref name="describe"/> says otherwise), and how many more there are.</summary>
    public IReadOnlyList<string> Evidence(Func<BsonDocument, string>? describe = null) =>
    [
        .. Sample.Select(describe ?? (document => CatalogJson.Inline(document))),
        .. Count > Sample.Count ? [$"… and {Count - Sample.Count:N0} more"] : Array.Empty<string>(),
    ];
}
