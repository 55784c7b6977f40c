using BotCore.MigrationPortal.Backups.Layout;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// An index as <c>listIndexes</c> reported it, turned back into the driver's typed index model. The index version "v" is
/// left to the server, as mongorestore does; an option the driver cannot express is named through <c>unsupported</c>.
/// </summary>
public static class MongoIndexModels
{
    /// <summary>
    /// The indexes to create again on a collection, all but those the server creates with it. On a collection with a default
    /// collation other than "simple", an index listed without <c>collation</c> was created with the simple collation (listIndexes
    /// leaves the simple collation out) but would now inherit the collection's, so it is given <c>{locale: "simple"}</c>, as
    /// mongorestore does (mongo-tools common/idx/index_catalog.go GetIndexes, with intent.go HasSimpleCollation; its test
    /// mongorestore/metadata_test.go TestIndexGetsSimpleCollation).
    /// </summary>
    public static IReadOnlyList<CreateIndexModel<BsonDocument>> For(CollectionMetadata metadata, Action<string> unsupported)
    {
        var inheritsCollation = !HasSimpleCollation(metadata.Options);
        return metadata.Indexes
            .Where(index => !IsCreatedWithCollection(index))
            .Select(index =>
            {
                var model = From(index, unsupported);
                if (inheritsCollation && !index.Contains("collation")) model.Options.Collation = Collation.Simple;
                return model;
            })
            .ToList();
    }

    /// <summary>Whether a collection's options give it the simple collation: no collation, or one whose locale is "simple".</summary>
    public static bool HasSimpleCollation(BsonDocument collectionOptions) =>
        collectionOptions.GetValue("collation", BsonNull.Value) is not BsonDocument collation
        || collation.GetValue("locale", BsonNull.Value) is BsonString { Value: "simple" };

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
