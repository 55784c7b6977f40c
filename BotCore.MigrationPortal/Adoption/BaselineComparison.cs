using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Adoption;

/// <summary>How well a database matches the expected catalog of one version.</summary>
public enum BaselineFit
{
    /// <summary>No blocking difference: the database is at this version.</summary>
    Exact,

    /// <summary>
    /// Every collection the migrations own at this version is there and no other version's is, but some of their indexes,
    /// options or validators differ: adoptable when a person accepts those differences in writing.
    /// </summary>
    Close,

    /// <summary>Collections the migrations own are missing, or another version's are there: not this version.</summary>
    Far,
}

/// <summary>The comparison of a database with the expected catalog of one version, each difference classified.</summary>
public sealed record VersionMatch(SchemaVersion Version, IReadOnlyList<ClassifiedDifference> Differences)
{
    public IReadOnlyList<ClassifiedDifference> Blocking => Differences.Where(d => d.Severity == DriftSeverity.Blocking).ToList();

    /// <summary>The blocking differences as one value: what a person accepts is bound to it.</summary>
    public string Fingerprint => DriftClassification.Fingerprint(Differences);

    public BaselineFit Fit => Blocking.Count == 0 ? BaselineFit.Exact
        : Blocking.Any(d => d.Difference.Kind is DifferenceKind.MissingCollection or DifferenceKind.UnexpectedCollection) ? BaselineFit.Far
        : BaselineFit.Close;

    public string Summary => Fit switch
    {
        BaselineFit.Exact => $"matches {Version}" + (Differences.Count > 0 ? $" ({Counted.Of(Differences.Count, "tolerated or informational difference")})" : ""),
        _ => $"{Counted.Of(Blocking.Count, "blocking difference")} from {Version}: {string.Join("; ", Blocking.Select(d => d.Difference.DescribeAsDrift()))}",
    };
}

/// <summary>
/// A database built outside the portal compared with the expected catalog of every version of this build, and the version to
/// adopt it at: the highest that matches exactly, else the closest whose collections are all right.
/// </summary>
public sealed record BaselineComparison(AdoptionSnapshot Snapshot, IReadOnlyList<VersionMatch> Versions)
{
    /// <summary>Reads <paramref name="target"/> as it is now and compares it.</summary>
    public static async Task<BaselineComparison> ReadAsync(MigrationRegistry registry, Engine.Ports.IMigrationTarget target, CancellationToken cancellationToken) =>
        Of(registry, await target.ReadForAdoptionAsync(cancellationToken));

    public static BaselineComparison Of(MigrationRegistry registry, AdoptionSnapshot snapshot) =>
        new(snapshot, registry.Migrations
            .Select(m => new VersionMatch(m.Version,
                DriftClassification.Classify(registry, registry.ExpectedCatalogAt(m.Version), snapshot.Collections.WithVersion(m.Version))))
            .ToList());

    /// <summary>The version to propose; null when none fits well enough (every version is <see cref="BaselineFit.Far"/>).</summary>
    public VersionMatch? Proposed =>
        Versions.LastOrDefault(v => v.Fit == BaselineFit.Exact)
        ?? Versions.Where(v => v.Fit == BaselineFit.Close).OrderBy(v => v.Blocking.Count).ThenByDescending(v => v.Version).FirstOrDefault();

    /// <exception cref="BadInputException">This build knows no such version.</exception>
    public VersionMatch For(SchemaVersion version) =>
        Versions.FirstOrDefault(v => v.Version == version)
        ?? throw new BadInputException($"Unknown version {version}: this build knows {string.Join(", ", Versions.Select(v => v.Version))}.");

    /// <summary>Whether the database still needs adopting: it has a version document but no changelog, or several version documents.</summary>
    public bool NeedsAdoption => AdoptionNeed.Of(Snapshot) is not null;

    /// <summary>
    /// The version document to keep when adopting at <paramref name="version"/>: the one that already says it (the one the later
    /// scripts kept updating), else the most recently updated; null when there is none (a new one is written).
    /// </summary>
    public VersionDocument? DocumentToKeep(SchemaVersion version) =>
        Snapshot.VersionDocuments.Where(d => d.Version == version).OrderByDescending(d => d.UpdatedAt).FirstOrDefault()
        ?? Snapshot.VersionDocuments.OrderByDescending(d => d.UpdatedAt).FirstOrDefault();

    /// <summary>What adoption does to the version documents, in words.</summary>
    public string VersionDocumentsPlan(SchemaVersion version)
    {
        var keep = DocumentToKeep(version);
        var dropped = Snapshot.VersionDocuments.Where(d => d != keep).ToList();
        return (keep is null ? $"writes a {VersionDocument.Key} document for {version}" : $"keeps {keep.Describe()} and sets it to {version}") +
            (dropped.Count == 0 ? "" : $"; deletes {dropped.Count} other: {string.Join("; ", dropped.Select(d => d.Describe()))}");
    }
}

/// <summary>Why a database must be adopted before the portal runs migrations on it (to follow "not adopted: "), or null when it need not.</summary>
public static class AdoptionNeed
{
    public static string? Of(AdoptionSnapshot snapshot) => snapshot switch
    {
        { VersionDocuments.Count: > 1 } =>
            $"system_config holds {snapshot.VersionDocuments.Count} {VersionDocument.Key} documents and no one version; adopting it keeps one",
        { VersionDocuments: [var single], ChangelogEntries: 0 } =>
            $"its version document says {single.Value} but it has no migration changelog",
        _ => null,
    };

    /// <summary>What every command that needs an adopted target says about one that is not: the one sentence, with what to do.</summary>
    /// <param name="need">What <see cref="Of"/> said.</param>
    public static string Sentence(string target, string need) =>
        $"Target {target} is not adopted: its database was migrated outside the portal ({need}). Run `baseline --target {target}` first.";
}
