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
        if (options.TimeSeries is { } ts)
        {
            var timeseries = new BsonDocument("timeField", ts.TimeField);
            if (ts.MetaField is not null) timeseries["metaField"] = ts.MetaField;
            timeseries["granularity"] = ts.Granularity;
            document["timeseries"] = timeseries;
        }
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

    /// <summary>A one-line rendering of a document, for messages and plan lines.</summary>
    public static string Inline(BsonValue value) =>
        value.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false });
}
