using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

internal static class MongoCollations
{
    /// <summary>
    /// A collation as listCollections/listIndexes report it. They add the ICU "version" the server chose, which the
    /// driver refuses; the server picks it again when the collation is given back without it.
    /// </summary>
    public static Collation From(BsonDocument reported)
    {
        var given = reported.DeepClone().AsBsonDocument;
        given.Remove("version");
        return Collation.FromBsonDocument(given);
    }
}
