using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>The few catalog facts a shadow rebuild reads from the server while it runs.</summary>
internal static class ShadowCollections
{
    public static async Task<bool> ExistsAsync(IMongoDatabase database, string name, CancellationToken cancellationToken) =>
        (await ExistingAsync(database, [name], cancellationToken)).Contains(name);

    /// <summary>Which of <paramref name="names"/> exist now (<c>listCollections</c> with a name filter; <c>nameOnly</c> takes no lock on each collection).</summary>
    public static async Task<IReadOnlySet<string>> ExistingAsync(IMongoDatabase database, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var filter = new BsonDocument("name", new BsonDocument("$in", new BsonArray(names)));
        var found = await (await database.ListCollectionNamesAsync(new ListCollectionNamesOptions { Filter = filter }, cancellationToken)).ToListAsync(cancellationToken);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The collection's UUID (<c>listCollections</c>: <c>info.uuid</c>), which a rename keeps; null when it does not exist. Tells the
    /// shadow renamed in from a collection a writer created under the same name.
    /// </summary>
    public static async Task<BsonValue?> UuidAsync(IMongoDatabase database, string name, CancellationToken cancellationToken)
    {
        var info = await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", name) }, cancellationToken))
            .FirstOrDefaultAsync(cancellationToken);
        return info?.GetValue("info", BsonNull.Value) is BsonDocument details && details.GetValue("uuid", BsonNull.Value) is { IsBsonNull: false } uuid ? uuid : null;
    }

    /// <summary><c>renameCollection</c> within the database (an admin command: the driver sends it so).</summary>
    public static Task RenameAsync(IMongoDatabase database, string from, string to, bool dropTarget, CancellationToken cancellationToken) =>
        database.RenameCollectionAsync(from, to, new RenameCollectionOptions { DropTarget = dropTarget }, cancellationToken);
}
