using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Compares indexes as <c>listIndexes</c> reports them, ignoring what the server decides for itself (the index version "v",
/// the legacy "ns" and "background") and how numbers happen to be typed: 1, 1L and 1.0 are the same direction or expiry.
/// </summary>
public static class IndexComparison
{
    /// <returns>One line per index that is missing, unexpected or different; empty when they match.</returns>
    public static IReadOnlyList<string> Differences(IEnumerable<BsonDocument> expected, IEnumerable<BsonDocument> actual)
    {
        var want = expected.ToDictionary(NameOf, Normalise, StringComparer.Ordinal);
        var have = actual.ToDictionary(NameOf, Normalise, StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var name in want.Keys.Union(have.Keys).Order(StringComparer.Ordinal))
        {
            var (wanted, found) = (want.GetValueOrDefault(name), have.GetValueOrDefault(name));
            if (wanted is null) differences.Add($"index {name} is not in the backup but was found ({CatalogJson.Inline(found!)})");
            else if (found is null) differences.Add($"index {name} is missing (expected {CatalogJson.Inline(wanted)})");
            else if (!wanted.Equals(found)) differences.Add($"index {name} differs: expected {CatalogJson.Inline(wanted)}, found {CatalogJson.Inline(found)}");
        }
        return differences;
    }

    private static string NameOf(BsonDocument index) => index.GetValue("name", "?").ToString()!;

    private static BsonDocument Normalise(BsonDocument index) => new(index.Elements
        .Where(e => e.Name is not ("v" or "ns" or "background"))
        .Where(e => !(e.Name is "unique" or "sparse" or "hidden" && e.Value == false))
        .OrderBy(e => e.Name, StringComparer.Ordinal)
        .Select(e => new BsonElement(e.Name, Numbers(e.Value))));

    // Field order inside the key matters (it is the index), so nested documents keep theirs.
    private static BsonValue Numbers(BsonValue value) => value switch
    {
        BsonDocument document => new BsonDocument(document.Elements.Select(e => new BsonElement(e.Name, Numbers(e.Value)))),
        BsonArray array => new BsonArray(array.Select(Numbers)),
        { IsNumeric: true, IsDecimal128: false } => new BsonDouble(value.ToDouble()),
        _ => value,
    };
}
