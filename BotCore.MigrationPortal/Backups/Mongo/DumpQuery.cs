using BotCore.MigrationPortal.Backups.Layout;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// How a collection's documents are read for a backup and for its comparison: in <c>_id</c> order, so that the content hash
/// of the live collection, of the file and of a restored copy are taken over the same sequence.
/// </summary>
public static class DumpQuery
{
    public static FindOptions<RawBsonDocument> Options(CollectionMetadata metadata) => new()
    {
        Sort = Order(metadata),
        // A time-series collection has no index on _id, so its sort may need more memory than the server gives one query.
        AllowDiskUse = metadata.IsTimeSeries ? true : null,
    };

    /// <summary>By <c>_id</c>; a time-series collection does not make _id unique, so its time field breaks ties.</summary>
    public static BsonDocument Order(CollectionMetadata metadata) =>
        metadata is { IsTimeSeries: true, TimeField: { } time } ? new BsonDocument { { "_id", 1 }, { time, 1 } } : new BsonDocument("_id", 1);

    /// <summary>How many documents to expect, for progress only: the count from the collection's statistics, unknown (0) for time-series.</summary>
    public static async Task<long> ExpectedAsync(IMongoCollection<RawBsonDocument> collection, CollectionMetadata metadata, CancellationToken cancellationToken) =>
        // Counting a time-series collection unpacks every bucket: as long as the backup itself, for a progress bar.
        metadata.IsTimeSeries ? 0 : await collection.EstimatedDocumentCountAsync(cancellationToken: cancellationToken);

    /// <summary>Reads the collection in backup order and hashes it as a backup file is hashed.</summary>
    public static async Task<DataSummary> SummarizeAsync(IMongoCollection<RawBsonDocument> collection, CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        using var hash = ContentHash.For(metadata);
        var buffer = new DocumentBuffer();
        long documents = 0;
        long bytes = 0;
        using var cursor = await collection.FindAsync(FilterDefinition<RawBsonDocument>.Empty, Options(metadata), cancellationToken);
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
