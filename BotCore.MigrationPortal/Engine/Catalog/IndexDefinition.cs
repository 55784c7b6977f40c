using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>An index as <c>listIndexes</c> reports it; the key keeps its declared field order.</summary>
public sealed record IndexDefinition
{
    public IndexDefinition(string name, BsonDocument key, bool unique = false, long? expireAfterSeconds = null,
        BsonDocument? partialFilterExpression = null)
    {
        if (key.ElementCount == 0) throw new ArgumentException("An index needs at least one key field.", nameof(key));
        Name = name;
        Key = NormaliseKey(key);
        Unique = unique;
        ExpireAfterSeconds = expireAfterSeconds;
        PartialFilterExpression = partialFilterExpression;
    }

    public string Name { get; }
    public BsonDocument Key { get; }
    public bool Unique { get; }
    public long? ExpireAfterSeconds { get; }
    public BsonDocument? PartialFilterExpression { get; }

    public bool HasSameKeyAs(IndexDefinition other) => Key.Equals(other.Key);

    // Directions come back as int, long or double depending on who created the index; 1 is 1.
    private static BsonDocument NormaliseKey(BsonDocument key) =>
        new(key.Elements.Select(e => new BsonElement(e.Name,
            e.Value.IsNumeric && e.Value.ToDouble() == Math.Truncate(e.Value.ToDouble())
                ? new BsonInt32((int)e.Value.ToDouble())
                : e.Value)));
}
