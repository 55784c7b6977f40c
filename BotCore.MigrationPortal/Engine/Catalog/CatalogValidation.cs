namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>The post-validation of one collection: does the live database have what the expected catalog says?</summary>
public sealed record CollectionValidation(string Collection, bool Passed, IReadOnlyList<CatalogDifference> Differences)
{
    public string Summary => Passed ? "matches the expected catalog" : string.Join("; ", Differences.Select(d => d.DescribeAsDrift()));
}

public static class CatalogValidation
{
    /// <summary>
    /// Compares a live catalog with the expected one collection by collection, over <paramref name="scope"/>
    /// (the collections the migrations manage; others belong to the application).
    /// </summary>
    public static IReadOnlyList<CollectionValidation> PerCollection(SchemaCatalog expected, SchemaCatalog live, IReadOnlySet<string> scope)
    {
        var differences = CatalogDiff.Between(expected, live, scope.Contains).Where(d => d.Collection is not null).ToList();
        return scope
            .Where(name => expected.Find(name) is not null || live.Find(name) is not null)
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                var mine = differences.Where(d => d.Collection == name).ToList();
                return new CollectionValidation(name, mine.Count == 0, mine);
            })
            .ToList();
    }
}
