using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Catalog;

public enum ChangeKind
{
    Created,
    Dropped,
    Changed,
}

/// <summary>One thing that changes between two catalogs, with its value before and after (null where it does not exist).</summary>
/// <param name="Collection">The collection; null for the schema version.</param>
/// <param name="What">"collection", "index idx_…", an option's name (<c>validator</c>, <c>validationLevel</c>…) or "schema version".</param>
public sealed record CatalogChangeRow(string? Collection, string What, ChangeKind Kind, BsonValue? Before, BsonValue? After);

/// <summary>
/// What a plan changes in a catalog, side by side: one row per collection created or dropped, per option that changes (only the options
/// that differ, not the whole collection), per index created, dropped or changed, and the schema version; and how many collections stay
/// as they are. Built from <see cref="CatalogDiff"/>, which reads "after" as expected and "before" as actual.
/// </summary>
public sealed record CatalogChange(IReadOnlyList<CatalogChangeRow> Rows, int UnchangedCollections)
{
    public static CatalogChange Between(SchemaCatalog before, SchemaCatalog after)
    {
        var rows = CatalogDiff.Between(after, before).SelectMany(RowsOf).ToList();
        var changed = rows.Select(row => row.Collection).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unchanged = before.Collections.Keys.Union(after.Collections.Keys).Count(name => !changed.Contains(name));
        return new CatalogChange(rows, unchanged);
    }

    private static IEnumerable<CatalogChangeRow> RowsOf(CatalogDifference difference) => difference.Kind switch
    {
        DifferenceKind.VersionDiffers => [new(null, "schema version", ChangeKind.Changed, difference.Actual, difference.Expected)],
        DifferenceKind.MissingCollection => [new(difference.Collection, "collection", ChangeKind.Created, null, difference.Expected)],
        DifferenceKind.UnexpectedCollection => [new(difference.Collection, "collection", ChangeKind.Dropped, difference.Actual, null)],
        DifferenceKind.CollectionDiffers => OptionRows(difference.Collection!, difference.Actual!.AsBsonDocument, difference.Expected!.AsBsonDocument),
        DifferenceKind.MissingIndex => [new(difference.Collection, $"index {difference.Index}", ChangeKind.Created, null, difference.Expected)],
        DifferenceKind.UnexpectedIndex => [new(difference.Collection, $"index {difference.Index}", ChangeKind.Dropped, difference.Actual, null)],
        DifferenceKind.IndexDiffers => [new(difference.Collection, $"index {difference.Index}", ChangeKind.Changed, difference.Actual, difference.Expected)],
        _ => throw new InvalidOperationException($"Unknown difference kind {difference.Kind}."),
    };

    /// <summary>Only the parts of a collection's shape (its type, each option) that differ.</summary>
    private static IEnumerable<CatalogChangeRow> OptionRows(string collection, BsonDocument before, BsonDocument after)
    {
        var (optionsBefore, optionsAfter) = (before["options"].AsBsonDocument, after["options"].AsBsonDocument);
        return Compare(collection, "type", before["type"], after["type"]).Concat(optionsBefore.Names.Union(optionsAfter.Names).SelectMany(name =>
            Compare(collection, name, optionsBefore.GetValue(name, BsonNull.Value), optionsAfter.GetValue(name, BsonNull.Value))));
    }

    private static IEnumerable<CatalogChangeRow> Compare(string collection, string what, BsonValue before, BsonValue after)
    {
        if (before.Equals(after)) yield break;
        yield return before.IsBsonNull ? new(collection, what, ChangeKind.Created, null, after)
            : after.IsBsonNull ? new(collection, what, ChangeKind.Dropped, before, null)
            : new(collection, what, ChangeKind.Changed, before, after);
    }
}
