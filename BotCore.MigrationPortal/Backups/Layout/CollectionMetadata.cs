using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// A collection's <c>.metadata.json</c> as mongodump writes it, in canonical Extended JSON: its options as
/// <c>listCollections</c> reports them, its indexes as <c>listIndexes</c> reports them (the <c>_id</c> index included),
/// its UUID, its name and its type.
/// </summary>
public sealed record CollectionMetadata(string CollectionName, string Type, BsonDocument Options, IReadOnlyList<BsonDocument> Indexes, string? Uuid)
{
    public const string CollectionType = "collection";
    public const string TimeSeriesType = "timeseries";
    public const string ViewType = "view";
    public const string IdIndexName = "_id_";

    private static readonly JsonWriterSettings Canonical = new() { OutputMode = JsonOutputMode.CanonicalExtendedJson, Indent = false };

    public bool IsTimeSeries => Type == TimeSeriesType;

    /// <summary>A view holds no documents: mongodump writes its metadata (viewOn, pipeline) and no data file.</summary>
    public bool IsView => Type == ViewType;

    /// <summary>The collection whose documents the data file holds: this one, or a time series' buckets collection.</summary>
    public string DataCollection => DumpFileNames.DataCollection(CollectionName, Type);

    /// <summary>The time field of a time-series collection.</summary>
    public string? TimeField =>
        Options.GetValue("timeseries", BsonNull.Value) is BsonDocument timeseries && timeseries.GetValue("timeField", BsonNull.Value) is { IsString: true } time
            ? time.AsString
            : null;

    /// <summary>A collection without options whose only index is the one on <c>_id</c>.</summary>
    public static CollectionMetadata Plain(string name) => new(name, CollectionType, new BsonDocument(), [IdIndex()], null);

    public static BsonDocument IdIndex() => new() { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", IdIndexName } };

    public string ToJson()
    {
        var document = new BsonDocument { { "options", Options }, { "indexes", new BsonArray(Indexes) } };
        if (Uuid is not null) document["uuid"] = Uuid;
        document["collectionName"] = CollectionName;
        document["type"] = Type;
        return document.ToJson(Canonical);
    }

    /// <param name="fileName">Named in the message when the text is not metadata.</param>
    /// <exception cref="BackupFileDamagedException">The text is not JSON, or not in the shape of collection metadata.</exception>
    public static CollectionMetadata Parse(string json, string fileName)
    {
        try
        {
            var document = BsonDocument.Parse(json);
            return new CollectionMetadata(
                document["collectionName"].AsString,
                document.GetValue("type", CollectionType).AsString,
                document.GetValue("options", new BsonDocument()).AsBsonDocument,
                document.GetValue("indexes", new BsonArray()).AsBsonArray.Select(index => index.AsBsonDocument).ToList(),
                document.GetValue("uuid", BsonNull.Value) is { IsString: true } uuid ? uuid.AsString : null);
        }
        catch (Exception e) when (e is FormatException or BsonException or InvalidCastException or KeyNotFoundException)
        {
            throw new BackupFileDamagedException(fileName, $"it is not collection metadata ({e.Message})", e);
        }
    }
}
