using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// Finds <c>Timestamp(0, 0)</c> in a document's top-level fields: the value an insert replaces with the server's current time
/// (mongo's fixDocumentForInsert) unless the insert says <c>bypassEmptyTsReplacement</c>. A restore must keep it as it was.
/// </summary>
public static class EmptyTimestamps
{
    private const byte TimestampType = 0x11;

    /// <param name="document">One whole BSON document.</param>
    public static bool AtTopLevel(ReadOnlySpan<byte> document)
    {
        // Nearly every document has no timestamp at all: a byte search spares parsing it.
        if (document.IndexOf(TimestampType) < 0) return false;
        using var parsed = new RawBsonDocument(document.ToArray());
        return parsed.Values.Any(value => value is BsonTimestamp { Value: 0 });
    }
}
