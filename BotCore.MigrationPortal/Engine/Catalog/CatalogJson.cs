using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>
/// The catalog in MongoDB's own shapes (<c>listCollections</c>: name, type, options; <c>listIndexes</c>: name,
/// key, unique, expireAfterSeconds), written as relaxed Extended JSON.
/// </summary>
public static class CatalogJson
{
    public static readonly JsonWriterSettings Relaxed = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = true };

    public static string ToJson(SchemaCatalog catalog) => ToBson(catalog).ToJson(Relaxed);

    public static BsonDocument ToBson(SchemaCatalog catalog) => new()
    {
        { "version", catalog.Version.ToString() },
        { "collections", new BsonArray(catalog.Collections.Values.Select(ToBson)) },
    };

    public static BsonDocument ToBson(CollectionDefinition collection) => new()
    {
        { "name", collection.Name },
        { "type", collection.Type.ToMongoName() },
        { "options", ToBson(collection.Options) },
        { "indexes", new BsonArray(collection.Indexes.Values.Select(ToBson)) },
    };

    public static BsonDocument ToBson(CollectionOptions options)
    {
        var document = new BsonDocument();
        if (options.Validator is not null) document["validator"] = options.Validator;
        if (options.ValidationLevel is not null) document["validationLevel"] = options.ValidationLevel;
        if (options.ValidationAction is not null) document["validationAction"] = options.ValidationAction;
        if (options.TimeSeries is { } ts) document["timeseries"] = ts.ToBson();
        if (options.ExpireAfterSeconds is { } expire) document["expireAfterSeconds"] = expire;
        return document;
    }

    public static BsonDocument ToBson(IndexDefinition index)
    {
        var document = new BsonDocument { { "name", index.Name }, { "key", index.Key }, { "unique", index.Unique } };
        if (index.ExpireAfterSeconds is { } expire) document["expireAfterSeconds"] = expire;
        if (index.PartialFilterExpression is not null) document["partialFilterExpression"] = index.PartialFilterExpression;
        return document;
    }

    /// <summary>Collection options as <c>listCollections</c> (or a mongodump metadata file) gives them.</summary>
    public static CollectionOptions OptionsFrom(BsonDocument options)
    {
        return new CollectionOptions(
            options.GetValue("validator", BsonNull.Value) as BsonDocument,
            options.GetValue("validationLevel", BsonNull.Value) is { IsString: true } level ? level.AsString : null,
            options.GetValue("validationAction", BsonNull.Value) is { IsString: true } action ? action.AsString : null,
            options.GetValue("timeseries", BsonNull.Value) is BsonDocument timeseries ? TimeSeriesDefinition.From(timeseries) : null,
            options.GetValue("expireAfterSeconds", BsonNull.Value) is { IsNumeric: true } expire ? expire.ToInt64() : null);
    }

    /// <summary>An index as <c>listIndexes</c> (or a mongodump metadata file) gives it.</summary>
    public static IndexDefinition IndexFrom(BsonDocument index) => new(
        index["name"].AsString,
        index["key"].AsBsonDocument,
        index.GetValue("unique", false).ToBoolean(),
        index.GetValue("expireAfterSeconds", BsonNull.Value) is { IsNumeric: true } expire ? expire.ToInt64() : null,
        index.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument);

    /// <summary>A one-line rendering of a document, for messages and plan lines.</summary>
    public static string Inline(BsonValue value) =>
        value.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false });
}
