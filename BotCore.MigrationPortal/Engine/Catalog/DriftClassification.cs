using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>How much a difference between the expected and the live catalog matters.</summary>
public enum DriftSeverity
{
    /// <summary>Something the migrations own is missing or different: runs are blocked unless an Admin accepts it.</summary>
    Blocking,

    /// <summary>Something the application owns or added (an extra index, a collection of its own, its options): not drift.</summary>
    Tolerated,

    /// <summary>Worth knowing, changes nothing (an application collection the application has not created yet).</summary>
    Informational,
}

/// <summary>A difference, how much it matters, and why, in the DBA's words.</summary>
public sealed record ClassifiedDifference(CatalogDifference Difference, DriftSeverity Severity, string Why)
{
    public string Describe() => $"{Difference.DescribeAsDrift()} — {Why}";
}

/// <summary>
/// The one place that says how much each difference between an expected catalog and a live one matters (DESIGN.md, "Drift is
/// classified"), asked by the drift report, the "no drift" pre-check, post-migration validation and rollback verification.
/// </summary>
public static class DriftClassification
{
    /// <param name="expected">What the migrations declare (its collections carry their owner).</param>
    /// <param name="managedCollections">Every collection some migration of the build creates or ensures.</param>
    /// <param name="applicationOwned">The collections the migrations ensure for the application.</param>
    /// <param name="declaredIndexes">Every index some migration declares: one of these where it is not expected is another version's.</param>
    public static IReadOnlyList<ClassifiedDifference> Classify(SchemaCatalog expected, SchemaCatalog live, IReadOnlySet<string> managedCollections,
        IReadOnlySet<string> applicationOwned, IReadOnlySet<(string Collection, string Index)> declaredIndexes, Func<string, bool>? inScope = null) =>
        CatalogDiff.Between(expected, live, inScope).Select(difference => Classify(difference, expected, managedCollections, applicationOwned, declaredIndexes)).ToList();

    /// <summary>As <see cref="Classify(SchemaCatalog, SchemaCatalog, IReadOnlySet{string}, IReadOnlySet{string}, IReadOnlySet{ValueTuple{string, string}}, Func{string, bool}?)"/>, with the build's migrations.</summary>
    public static IReadOnlyList<ClassifiedDifference> Classify(MigrationRegistry registry, SchemaCatalog expected, SchemaCatalog live, Func<string, bool>? inScope = null) =>
        Classify(expected, live, registry.ManagedCollections, registry.ApplicationOwnedCollections, registry.DeclaredIndexes, inScope);

    /// <summary>
    /// The blocking differences as one value: an Admin's acceptance is bound to it, and is void as soon as the differences change.
    /// </summary>
    public static string Fingerprint(IEnumerable<ClassifiedDifference> differences)
    {
        var lines = differences.Where(d => d.Severity == DriftSeverity.Blocking).Select(d => d.Difference.DescribeAsDrift()).Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))))[..16];
    }

    private static ClassifiedDifference Classify(CatalogDifference difference, SchemaCatalog expected, IReadOnlySet<string> managedCollections,
        IReadOnlySet<string> applicationOwned, IReadOnlySet<(string Collection, string Index)> declaredIndexes)
    {
        var collection = difference.Collection;
        var owner = collection is not null && (applicationOwned.Contains(collection) || expected.Find(collection)?.Owner == CollectionOwner.Application)
            ? CollectionOwner.Application
            : CollectionOwner.Migrations;
        return difference.Kind switch
        {
            DifferenceKind.MissingCollection when owner == CollectionOwner.Application => new(difference, DriftSeverity.Informational,
                "the application's collection has not been created yet; the next migration that needs it makes sure it exists"),
            DifferenceKind.MissingCollection => new(difference, DriftSeverity.Blocking, "the migrations create it"),
            DifferenceKind.UnexpectedCollection when owner == CollectionOwner.Application => new(difference, DriftSeverity.Tolerated,
                "the application's collection (a later migration ensures it, and no rollback drops it)"),
            DifferenceKind.UnexpectedCollection when managedCollections.Contains(collection!) => new(difference, DriftSeverity.Blocking,
                "another version's migrations create it: the database is not at the version it says"),
            DifferenceKind.UnexpectedCollection => new(difference, DriftSeverity.Tolerated, "a collection of the application's own, which no migration manages"),
            DifferenceKind.CollectionDiffers when owner == CollectionOwner.Application => new(difference, DriftSeverity.Tolerated,
                "the application's collection: its options are the application's"),
            DifferenceKind.CollectionDiffers => new(difference, DriftSeverity.Blocking, "the migrations set these options"),
            DifferenceKind.MissingIndex => new(difference, DriftSeverity.Blocking, "the migrations create this index"),
            DifferenceKind.UnexpectedIndex when declaredIndexes.Contains((collection!, difference.Index!)) => new(difference, DriftSeverity.Blocking,
                "another version's migrations create this index: the database is not at the version it says"),
            DifferenceKind.UnexpectedIndex => new(difference, DriftSeverity.Tolerated, "an index added by the application or a DBA, which no migration manages"),
            DifferenceKind.IndexDiffers => new(difference, DriftSeverity.Blocking, "the migrations declare this index otherwise"),
            _ => new(difference, DriftSeverity.Blocking, "the schema version is what the migrations record"),
        };
    }
}
