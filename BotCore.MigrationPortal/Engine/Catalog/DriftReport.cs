namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>
/// How a live database differs from the catalog its schema version should have. Only the collections the
/// migrations manage count as drift; other collections belong to the application and are listed apart.
/// </summary>
public sealed record DriftReport(SchemaVersion Version, IReadOnlyList<CatalogDifference> Differences, IReadOnlyList<string> UnmanagedCollections)
{
    public bool HasDrift => Differences.Count > 0;

    public static DriftReport Of(MigrationRegistry registry, SchemaCatalog live)
    {
        if (!registry.IsKnown(live.Version))
        {
            throw new MigrationEngineException(
                $"The database is at schema version {live.Version}, which this build does not know (it knows up to {registry.Latest}): " +
                "there is no expected catalog to compare with. Use the portal build that applied it.");
        }
        var managed = registry.ManagedCollections;
        return new DriftReport(
            live.Version,
            CatalogDiff.Between(registry.ExpectedCatalogAt(live.Version), live, managed.Contains),
            live.Collections.Keys.Where(name => !managed.Contains(name)).ToList());
    }
}
