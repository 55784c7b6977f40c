using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// An index as <c>listIndexes</c> reported it, turned back into the driver's typed index model. The index version "v" is
/// left to the server, as mongorestore does; an option the driver cannot express is named through <c>unsupported</c>.
/// </summary>
public static class MongoIndexModels
{
    public static CreateIndexModel<BsonDocument> From(BsonDocument index, Action<string> unsupported)
    {
        var options = new CreateIndexOptions<BsonDocument>();
        foreach (var option in index)
        {
            var value = option.Value;
            switch (option.Name)
            {
                case "v" or "key" or "ns" or "background":
                    // The key is the model's; "ns" and "background" are legacy fields the server ignores.
                    break;
                case "name":
                    options.Name = value.AsString;
                    break;
                case "unique":
                    options.Unique = value.ToBoolean();
                    break;
                case "sparse":
                    options.Sparse = value.ToBoolean();
                    break;
                case "hidden":
                    options.Hidden = value.ToBoolean();
                    break;
                case "expireAfterSeconds":
                    options.ExpireAfter = TimeSpan.FromSeconds(value.ToDouble());
                    break;
                case "partialFilterExpression":
                    options.PartialFilterExpression = new BsonDocumentFilterDefinition<BsonDocument>(value.AsBsonDocument);
                    break;
                case "collation":
                    options.Collation = MongoCollations.From(value.AsBsonDocument);
                    break;
                case "weights":
                    options.Weights = value.AsBsonDocument;
                    break;
                case "default_language":
                    options.DefaultLanguage = value.AsString;
                    break;
                case "language_override":
                    options.LanguageOverride = value.AsString;
                    break;
                case "textIndexVersion":
                    options.TextIndexVersion = value.ToInt32();
                    break;
                case "2dsphereIndexVersion":
                    options.SphereIndexVersion = value.ToInt32();
                    break;
                case "bits":
                    options.Bits = value.ToInt32();
                    break;
                case "min":
                    options.Min = value.ToDouble();
                    break;
                case "max":
                    options.Max = value.ToDouble();
                    break;
                case "wildcardProjection":
                    options.WildcardProjection = new BsonDocumentProjectionDefinition<BsonDocument>(value.AsBsonDocument);
                    break;
                case "storageEngine":
                    options.StorageEngine = value.AsBsonDocument;
                    break;
                default:
                    unsupported($"{index.GetValue("name", "?")}: {option.Name}");
                    break;
            }
        }
        return new CreateIndexModel<BsonDocument>(new BsonDocumentIndexKeysDefinition<BsonDocument>(index["key"].AsBsonDocument), options);
    }

    /// <summary>Indexes the server creates by itself with the collection: on <c>_id</c>, and the clustered index of a clustered collection.</summary>
    public static bool IsCreatedWithCollection(BsonDocument index) =>
        index.GetValue("name", BsonNull.Value) == "_id_" || index.GetValue("clustered", false).ToBoolean();
}
