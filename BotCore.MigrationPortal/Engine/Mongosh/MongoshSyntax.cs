using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Mongosh;

/// <summary>
/// Values, filters and updates as mongosh reads them. The driver's shell output mode writes BSON types as the shell's constructors
/// (<c>NumberDecimal("0.00")</c>, <c>NumberLong(…)</c>, <c>ISODate("…")</c>, <c>ObjectId("…")</c>) and quotes every key, so an operator
/// key such as <c>$jsonSchema</c> is a valid JavaScript property name.
/// </summary>
public static class MongoshSyntax
{
    private static readonly JsonWriterSettings Shell = new() { OutputMode = JsonOutputMode.Shell, Indent = false };

    private static readonly RenderArgs<BsonDocument> Documents = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    public static string Value(BsonValue value) => value.ToJson(Shell);

    /// <summary>A value on several lines, indented, for reading (a validator side by side with another).</summary>
    public static string Indented(BsonValue value) => value.ToJson(ShellIndented);

    private static readonly JsonWriterSettings ShellIndented = new() { OutputMode = JsonOutputMode.Shell, Indent = true };

    /// <summary>A JavaScript string literal (escaped as JSON, which JavaScript reads).</summary>
    public static string String(string text) => Value(new BsonString(text));

    /// <summary>
    /// <c>db.getCollection("name")</c>: right for any collection name, where <c>db.name</c> breaks on a name with a dot or a dash, or one
    /// that is also a method of <c>db</c> (<c>stats</c>).
    /// </summary>
    public static string Collection(string name) => $"db.getCollection({String(name)})";

    /// <summary>The filter document the driver sends for <paramref name="filter"/>.</summary>
    public static BsonDocument Rendered(FilterDefinition<BsonDocument> filter) => filter.Render(Documents);

    /// <summary>The update document (or pipeline) the driver sends for <paramref name="update"/>.</summary>
    public static BsonValue Rendered(UpdateDefinition<BsonDocument> update) => update.Render(Documents);

    /// <summary>The key document the driver sends for <paramref name="keys"/>.</summary>
    public static BsonDocument Rendered(IndexKeysDefinition<BsonDocument> keys) => keys.Render(Documents);

    /// <summary>Seconds as mongosh would write them: a plain number (an int when it fits), as <c>expireAfterSeconds</c> takes.</summary>
    public static BsonValue Seconds(TimeSpan span)
    {
        var seconds = (long)span.TotalSeconds;
        return seconds is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)seconds) : new BsonInt64(seconds);
    }

    /// <summary>A driver enum as the server names it (<c>Strict</c> → <c>"strict"</c>), which is how the driver sends it.</summary>
    public static BsonString Name<TEnum>(TEnum value) where TEnum : struct, Enum => new(value.ToString().ToLowerInvariant());
}
