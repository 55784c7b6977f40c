using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>Where a backed-up collection is put back: over the target's collection, or into the scratch copy a verification compares.</summary>
public enum LoadPurpose
{
    Restore,

    /// <summary>
    /// A scratch copy: no expiry (the server would delete documents while they are compared), and a validator kept but switched
    /// off (validationLevel "off") instead of bypassed, so that verifying needs no bypassDocumentValidation privilege.
    /// </summary>
    Scratch,
}

/// <summary>
/// A collection's options as <c>listCollections</c> reported them, turned back into the driver's typed create options.
/// An option the driver cannot express is named through <c>unsupported</c> and left out, never guessed.
/// </summary>
public static class MongoCreateOptions
{
    /// <summary>The create command of a view: its name and the options listCollections reported (viewOn, pipeline, collation).</summary>
    public static BsonDocument ViewCommand(CollectionMetadata view) => new BsonDocument("create", view.CollectionName).AddRange(view.Options);

    public static CreateCollectionOptions<BsonDocument> From(CollectionMetadata metadata, LoadPurpose purpose, Action<string> unsupported)
    {
        var options = new CreateCollectionOptions<BsonDocument>();
        foreach (var option in metadata.Options)
        {
            var value = option.Value;
            switch (option.Name)
            {
                case "validator":
                    options.Validator = new BsonDocumentFilterDefinition<BsonDocument>(value.AsBsonDocument);
                    break;
                case "validationLevel" when Enum.TryParse<DocumentValidationLevel>(value.AsString, ignoreCase: true, out var level):
                    options.ValidationLevel = level;
                    break;
                case "validationAction" when Enum.TryParse<DocumentValidationAction>(value.AsString, ignoreCase: true, out var action):
                    options.ValidationAction = action;
                    break;
                case "timeseries":
                    options.TimeSeriesOptions = MongoTimeSeries.Options(TimeSeriesDefinition.From(value.AsBsonDocument));
                    break;
                case "expireAfterSeconds":
                    if (purpose == LoadPurpose.Restore) options.ExpireAfter = TimeSpan.FromSeconds(value.ToDouble());
                    break;
                case "capped":
                    options.Capped = value.ToBoolean();
                    break;
                case "size":
                    options.MaxSize = value.ToInt64();
                    break;
                case "max":
                    options.MaxDocuments = value.ToInt64();
                    break;
                case "collation":
                    options.Collation = MongoCollations.From(value.AsBsonDocument);
                    break;
                case "clusteredIndex":
                    options.ClusteredIndex = Clustered(value.AsBsonDocument);
                    break;
                case "changeStreamPreAndPostImages":
                    options.ChangeStreamPreAndPostImagesOptions = new ChangeStreamPreAndPostImagesOptions(value.AsBsonDocument);
                    break;
                case "storageEngine":
                    options.StorageEngine = value.AsBsonDocument;
                    break;
                case "indexOptionDefaults" when value.AsBsonDocument.GetValue("storageEngine", BsonNull.Value) is BsonDocument engine:
                    options.IndexOptionDefaults = new IndexOptionDefaults { StorageEngine = engine };
                    break;
                default:
                    unsupported($"{option.Name}: {CatalogJson.Inline(value)}");
                    break;
            }
        }
        if (purpose == LoadPurpose.Scratch && options.Validator is not null) options.ValidationLevel = DocumentValidationLevel.Off;
        return options;
    }

    private static ClusteredIndexOptions<BsonDocument> Clustered(BsonDocument clustered) => new()
    {
        Key = new BsonDocumentIndexKeysDefinition<BsonDocument>(clustered["key"].AsBsonDocument),
        Unique = clustered.GetValue("unique", true).ToBoolean(),
        Name = clustered.GetValue("name", BsonNull.Value) is { IsString: true } name ? name.AsString : null,
    };
}
