namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>The post-validation of one collection: does the live database have what the expected catalog says?</summary>
/// <param name="Differences">Every difference, classified: only blocking ones fail the collection.</param>
public sealed record CollectionValidation(string Collection, IReadOnlyList<ClassifiedDifference> Differences)
{
    public bool Passed => Differences.All(d => d.Severity != DriftSeverity.Blocking);

    public string Summary => Differences.Count == 0
        ? "matches the expected catalog"
        : string.Join("; ", Differences.OrderBy(d => d.Severity).Select(d => d.Severity == DriftSeverity.Blocking ? d.Difference.DescribeAsDrift() : $"{d.Severity.ToString().ToLowerInvariant()}: {d.Describe()}"));
}

public static class CatalogValidation
{
    /// <summary>
    /// Compares a live catalog with the expected one collection by collection, over the collections the migrations manage
    /// (others belong to the application); what the application owns or added does not fail a collection.
    /// </summary>
    /// <param name="scope">The collections to validate; by default every collection the migrations manage.</param>
    public static IReadOnlyList<CollectionValidation> PerCollection(MigrationRegistry registry, SchemaCatalog expected, SchemaCatalog live,
        IReadOnlySet<string>? scope = null)
    {
        scope ??= registry.ManagedCollections;
        var differences = DriftClassification.Classify(registry, expected, live, scope.Contains).Where(d => d.Difference.Collection is not null).ToList();
        return scope
            .Where(name => expected.Find(name) is not null || live.Find(name) is not null)
            .Order(StringComparer.Ordinal)
            .Select(name => new CollectionValidation(name, differences.Where(d => d.Difference.Collection == name).ToList()))
            .ToList();
    }
}
