using System.IO.Compression;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// Writes a collection's documents as mongodump does: their raw BSON, one after the other, gzip-compressed. Counts and
/// hashes them on the way, so memory stays flat however many there are.
/// </summary>
public sealed class CollectionDataWriter : IAsyncDisposable
{
    /// <summary>A gzip member holding nothing: header, an empty final deflate block, CRC-32 and size both zero.</summary>
    private static readonly byte[] EmptyGzip = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    private readonly Stream destination;
    private readonly GZipStream gzip;
    private readonly ContentHash hash;
    private long bytes;
    private long withEmptyTimestamps;
    private bool completed;

    /// <param name="destination">Left open: the caller owns it.</param>
    public CollectionDataWriter(Stream destination)
    {
        this.destination = destination;
        // Fastest: a backup is taken before a migration, while people wait; gzip's default level costs more time than it saves space.
        gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        hash = new ContentHash();
    }

    public long Documents { get; private set; }

    /// <param name="document">One whole BSON document.</param>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        hash.Append(document.Span);
        if (EmptyTimestamps.AtTopLevel(document.Span)) withEmptyTimestamps++;
        await gzip.WriteAsync(document, cancellationToken);
        Documents++;
        bytes += document.Length;
    }

    /// <summary>Ends the gzip stream: its trailer is what tells a complete file from a truncated one.</summary>
    public async Task<DataSummary> CompleteAsync()
    {
        await gzip.DisposeAsync();
        // GZipStream writes nothing at all when given nothing, and an empty file is not gzip to mongorestore (nor to us).
        if (Documents == 0) await destination.WriteAsync(EmptyGzip);
        completed = true;
        return new DataSummary(Documents, bytes, hash.Finish(), withEmptyTimestamps);
    }

    public async ValueTask DisposeAsync()
    {
        if (!completed) await gzip.DisposeAsync();
        hash.Dispose();
    }
}
