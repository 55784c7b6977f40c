namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>
/// How a live database differs from the catalog its schema version should have, each difference classified
/// (<see cref="DriftClassification"/>): only blocking differences are drift; what the application owns or added is listed
/// as tolerated, and what it has not created yet as informational.
/// </summary>
public sealed record DriftReport(SchemaVersion Version, IReadOnlyList<ClassifiedDifference> Differences)
{
    public IReadOnlyList<ClassifiedDifference> Blocking => Of(DriftSeverity.Blocking);

    public IReadOnlyList<ClassifiedDifference> Tolerated => Of(DriftSeverity.Tolerated);

    public IReadOnlyList<ClassifiedDifference> Informational => Of(DriftSeverity.Informational);

    public bool HasDrift => Blocking.Count > 0;

    /// <summary>The blocking differences as one value, which an Admin's acceptance is bound to.</summary>
    public string Fingerprint => DriftClassification.Fingerprint(Differences);

    /// <exception cref="MigrationEngineException">The database is at a version this build does not know.</exception>
    public static DriftReport Of(MigrationRegistry registry, SchemaCatalog live)
    {
        if (!registry.IsKnown(live.Version))
        {
            throw new MigrationEngineException(
                $"The database is at schema version {live.Version}, which this build does not know (it knows up to {registry.Latest}): " +
                "there is no expected catalog to compare with. Use the portal build that applied it.");
        }
        return new DriftReport(live.Version, DriftClassification.Classify(registry, registry.ExpectedCatalogAt(live.Version), live));
    }

    private IReadOnlyList<ClassifiedDifference> Of(DriftSeverity severity) => Differences.Where(d => d.Severity == severity).ToList();
}
