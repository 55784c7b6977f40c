using BotCore.MigrationPortal.Backups.Layout;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// How a collection's documents are read for a backup and for its comparison: in <c>_id</c> order, so that the content hash
/// of the live collection, of the file and of a restored copy are taken over the same sequence. A time series is read as its
/// buckets collection, which is clustered by <c>_id</c>, so that order costs no sort either.
/// </summary>
public static class DumpQuery
{
    public static FindOptions<RawBsonDocument> Options { get; } = new() { Sort = Order };

    public static BsonDocument Order => new("_id", 1);

    /// <summary>How many documents to expect, for progress only: the count from the collection's statistics.</summary>
    public static Task<long> ExpectedAsync(IMongoCollection<RawBsonDocument> data, CancellationToken cancellationToken) =>
        data.EstimatedDocumentCountAsync(cancellationToken: cancellationToken);

    /// <summary>Reads the collection in backup order and hashes it as a backup file is hashed.</summary>
    public static async Task<DataSummary> SummarizeAsync(IMongoCollection<RawBsonDocument> data, CancellationToken cancellationToken)
    {
        using var hash = new ContentHash();
        var buffer = new DocumentBuffer();
        long documents = 0;
        long bytes = 0;
        using var cursor = await data.FindAsync(FilterDefinition<RawBsonDocument>.Empty, Options, cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var document in cursor.Current)
            {
                using (document)
                {
                    var raw = buffer.Copy(document);
                    hash.Append(raw.Span);
                    documents++;
                    bytes += raw.Length;
                }
            }
        }
        return new DataSummary(documents, bytes, hash.Finish());
    }
}

/// <summary>A reusable buffer that a document read by the driver is copied into, so that reading a collection allocates per batch, not per document.</summary>
public sealed class DocumentBuffer
{
    private byte[] bytes = new byte[64 * 1024];

    public ReadOnlyMemory<byte> Copy(RawBsonDocument document)
    {
        var slice = document.Slice;
        if (slice.Length > bytes.Length) bytes = new byte[Math.Max(slice.Length, bytes.Length * 2)];
        slice.GetBytes(0, bytes, 0, slice.Length);
        return bytes.AsMemory(0, slice.Length);
    }
}
