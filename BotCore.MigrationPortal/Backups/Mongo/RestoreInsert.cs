using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// The <c>insert</c> command a restore sends, written out because the driver's insert has no <c>bypassEmptyTsReplacement</c>:
/// <c>{insert, documents, ordered: false, bypassDocumentValidation?, bypassEmptyTsReplacement?}</c>, as mongorestore's bulk
/// inserter sends it (mongo-tools common/db/buffered_bulk.go).
/// </summary>
public static class RestoreInsert
{
    /// <summary>
    /// The most document bytes one command carries: the command is one BSON document, which the server takes up to 16 MiB and
    /// 16 KiB; the field names and array indexes of a batch of up to <see cref="BackupOptions.MaxInsertBatchSize"/> documents stay
    /// under the 16 KiB (the reckoning is on <see cref="BackupOptions"/>).
    /// </summary>
    public const long MaxBatchBytes = 16 * 1024 * 1024;

    /// <param name="bypassValidation">Only where the documents come back into a collection whose validator they may no longer pass.</param>
    /// <param name="keepEmptyTimestamps">Only on a server that takes the flag; any other refuses the command.</param>
    public static BsonDocument Command(string collection, IEnumerable<RawBsonDocument> documents, bool bypassValidation, bool keepEmptyTimestamps)
    {
        var command = new BsonDocument { { "insert", collection }, { "documents", new BsonArray(documents) }, { "ordered", false } };
        if (bypassValidation) command["bypassDocumentValidation"] = true;
        if (keepEmptyTimestamps) command["bypassEmptyTsReplacement"] = true;
        return command;
    }

    /// <summary>How many documents the server inserted; a reply that reports a refused document or write concern is an error.</summary>
    /// <exception cref="BackupFailedException">The server refused documents or could not confirm the write.</exception>
    public static long Inserted(BsonDocument reply, int sent)
    {
        if (reply.GetValue("writeErrors", BsonNull.Value) is BsonArray { Count: > 0 } errors)
        {
            var first = errors[0].AsBsonDocument;
            throw new BackupFailedException(
                $"the server refused {errors.Count:N0} of {sent:N0} documents; the first: {first.GetValue("errmsg", "?")} (code {first.GetValue("code", "?")})");
        }
        if (reply.GetValue("writeConcernError", BsonNull.Value) is BsonDocument concern)
        {
            throw new BackupFailedException($"the server could not confirm the insert: {CatalogJson.Inline(concern)}");
        }
        return reply.GetValue("n", 0).ToInt64();
    }
}
