using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Authoring;

/// <summary>
/// What a collection's <c>$jsonSchema</c> validator says about a field path: whether it requires it (at every level of a dotted
/// path), mentions it (in <c>properties</c> or <c>required</c>), and which BSON types it allows. A validator written with query
/// operators is not read (<see cref="IsReadable"/> is false).
/// </summary>
public sealed class ValidatorFields
{
    private readonly BsonDocument? schema;

    private ValidatorFields(BsonDocument? schema, bool isReadable)
    {
        this.schema = schema;
        IsReadable = isReadable;
    }

    public static ValidatorFields Of(BsonDocument? validator) =>
        validator is null ? new(null, true)
        : validator.ElementCount == 1 && validator.TryGetValue("$jsonSchema", out var schema) && schema.IsBsonDocument ? new(schema.AsBsonDocument, true)
        : new(null, false);

    /// <summary>Whether the collection has a validator at all.</summary>
    public bool Exists => schema is not null;

    /// <summary>False for a validator of query operators, which these rules do not interpret.</summary>
    public bool IsReadable { get; }

    /// <summary>Whether every document must have the field: each segment is required by the level above it.</summary>
    public bool Requires(string path) => Walk(path, (level, name) => Names(level, "required").Contains(name));

    /// <summary>Whether the validator names the field anywhere on its path (properties or required, at each level).</summary>
    public bool Mentions(string path) =>
        Walk(path, (level, name) => Names(level, "required").Contains(name) || Properties(level)?.Contains(name) == true);

    /// <summary>The BSON types the validator allows for the field (<c>bsonType</c>, or the types of its <c>enum</c>); empty when it does not say.</summary>
    public IReadOnlyList<string> TypesOf(string path)
    {
        var property = PropertyAt(path);
        if (property is null) return [];
        if (property.TryGetValue("bsonType", out var bsonType))
        {
            return bsonType.IsBsonArray ? bsonType.AsBsonArray.Select(t => t.ToString()!).ToList() : [bsonType.ToString()!];
        }
        return property.TryGetValue("enum", out var values) && values.IsBsonArray
            ? values.AsBsonArray.Select(v => Alias(v.BsonType)).Distinct().ToList()
            : [];
    }

    /// <summary>The $jsonSchema name of a BSON type, as <c>bsonType</c> spells it.</summary>
    private static string Alias(BsonType type) => type switch
    {
        BsonType.Double => "double", BsonType.String => "string", BsonType.Document => "object", BsonType.Array => "array",
        BsonType.Binary => "binData", BsonType.ObjectId => "objectId", BsonType.Boolean => "bool", BsonType.DateTime => "date",
        BsonType.Null => "null", BsonType.RegularExpression => "regex", BsonType.Int32 => "int", BsonType.Timestamp => "timestamp",
        BsonType.Int64 => "long", BsonType.Decimal128 => "decimal", _ => type.ToString(),
    };

    private BsonDocument? PropertyAt(string path)
    {
        var level = schema;
        foreach (var name in path.Split('.'))
        {
            if (level is null || Properties(level) is not { } properties || !properties.TryGetValue(name, out var next) || !next.IsBsonDocument) return null;
            level = next.AsBsonDocument;
        }
        return level;
    }

    private bool Walk(string path, Func<BsonDocument, string, bool> holds)
    {
        var level = schema;
        foreach (var name in path.Split('.'))
        {
            if (level is null || !holds(level, name)) return false;
            level = Properties(level) is { } properties && properties.TryGetValue(name, out var next) && next.IsBsonDocument ? next.AsBsonDocument : null;
        }
        return true;
    }

    private static BsonDocument? Properties(BsonDocument level) =>
        level.TryGetValue("properties", out var properties) && properties.IsBsonDocument ? properties.AsBsonDocument : null;

    private static IReadOnlySet<string> Names(BsonDocument level, string keyword) =>
        level.TryGetValue(keyword, out var names) && names.IsBsonArray
            ? names.AsBsonArray.Where(n => n.IsString).Select(n => n.AsString).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
}
