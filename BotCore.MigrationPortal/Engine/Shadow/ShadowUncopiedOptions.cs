using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// What a shadow rebuild would silently lose: the rebuilt collection is created with no options but its validator, and its indexes are
/// built from the catalog's <see cref="Catalog.IndexDefinition"/> (key, unique, expireAfterSeconds, partialFilterExpression). Any
/// other collection option (a default collation, capped, clusteredIndex, changeStreamPreAndPostImages, encryptedFields, storage
/// settings) or index option (sparse, collation, hidden, text weights and languages, 2dsphere version, wildcardProjection) would not
/// survive the swap, and the drift check would not see it go, as the catalog does not model it. So the step refuses such a collection
/// before it copies anything, naming what it would lose.
/// </summary>
/// <remarks>
/// Read from the raw <c>listCollections</c> options and <c>listIndexes</c> specs: the server lists an option only when it is set
/// (server: <c>CollectionOptions::appendBSON</c>; changeStreamPreAndPostImages only when enabled).
/// </remarks>
internal static class ShadowUncopiedOptions
{
    /// <summary>The collection options the rebuild carries over: the validator (the target's, or the original's).</summary>
    private static readonly IReadOnlySet<string> CopiedCollectionOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "validator", "validationLevel", "validationAction",
    };

    /// <summary>
    /// The index spec fields the rebuild carries over (<see cref="Catalog.CatalogJson.IndexFrom"/>), and those that change nothing:
    /// <c>v</c> and <c>ns</c> are the server's own, <c>background</c> is ignored since MongoDB 4.2.
    /// </summary>
    private static readonly IReadOnlySet<string> CopiedIndexFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "v", "ns", "name", "key", "unique", "expireAfterSeconds", "partialFilterExpression", "background",
    };

    /// <summary>Index flags whose <c>false</c> is the default, so an explicit <c>false</c> loses nothing.</summary>
    private static readonly IReadOnlySet<string> FalseByDefault = new HashSet<string>(StringComparer.Ordinal) { "sparse", "hidden", "prepareUnique" };

    /// <param name="options">The collection's <c>listCollections</c> <c>options</c>.</param>
    /// <param name="indexes">The collection's <c>listIndexes</c> specs; null when the rebuilt collection gets the migration's own indexes.</param>
    /// <returns>What would be lost, one phrase each (empty when nothing).</returns>
    public static IReadOnlyList<string> In(BsonDocument options, IReadOnlyList<BsonDocument>? indexes)
    {
        var lost = options.Names.Where(name => !CopiedCollectionOptions.Contains(name)).Select(name => $"the collection option {name}").ToList();
        foreach (var index in indexes ?? [])
        {
            var name = index.GetValue("name", BsonNull.Value).ToString();
            // The _id index follows the collection (its collation is the collection's, listed above when set).
            if (name == "_id_") continue;
            var fields = index.Elements
                .Where(field => !CopiedIndexFields.Contains(field.Name) && !(FalseByDefault.Contains(field.Name) && field.Value == BsonBoolean.False))
                .Select(field => field.Name)
                .ToList();
            if (fields.Count > 0) lost.Add($"{string.Join(", ", fields)} of the index {name}");
        }
        return lost;
    }
}
