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

    /// <summary><c>renameCollection</c> within the database (an admin command: the driver sends it so).</summary>
    public static Task RenameAsync(IMongoDatabase database, string from, string to, bool dropTarget, CancellationToken cancellationToken) =>
        database.RenameCollectionAsync(from, to, new RenameCollectionOptions { DropTarget = dropTarget }, cancellationToken);
}
