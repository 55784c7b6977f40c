using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// Reads back a collection's data file (gzip-compressed BSON documents one after the other) one document at a time, and
/// reports any damage as <see cref="BackupFileDamagedException"/> naming the file and what is wrong with it.
/// </summary>
public sealed class CollectionDataReader(Stream source, string fileName)
{
    // BSON documents are at most 16 MiB; the server allows itself 16 KiB more for its own documents.
    private const int LargestDocument = 16 * 1024 * 1024 + 16 * 1024;
    private const int SmallestDocument = 5;

    public async IAsyncEnumerable<byte[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recorded = await GzipEnvelope.ReadRecordedSizeAsync(source, fileName, cancellationToken);
        await using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        var length = new byte[4];
        long read = 0;
        long number = 0;
        while (true)
        {
            var got = await GzipEnvelope.ReadFullyAsync(gzip, length, fileName, cancellationToken);
            if (got == 0) break;
            number++;
            if (got < length.Length) throw new BackupFileDamagedException(fileName, $"it ends inside document {number:N0} (the file is truncated)");
            var size = BinaryPrimitives.ReadInt32LittleEndian(length);
            if (size is < SmallestDocument or > LargestDocument)
            {
                throw new BackupFileDamagedException(fileName, $"document {number:N0} claims to be {size:N0} bytes long, which no BSON document is (the file was changed)");
            }
            var document = new byte[size];
            length.CopyTo(document, 0);
            if (await GzipEnvelope.ReadFullyAsync(gzip, document.AsMemory(4), fileName, cancellationToken) < size - 4)
            {
                throw new BackupFileDamagedException(fileName, $"it ends inside document {number:N0} (the file is truncated)");
            }
            if (document[^1] != 0) throw new BackupFileDamagedException(fileName, $"document {number:N0} does not end as a BSON document does (the file was changed)");
            read += size;
            yield return document;
        }
        GzipEnvelope.CheckSize(recorded, read, fileName);
    }

    /// <summary>Reads the whole file and says what it holds.</summary>
    public async Task<DataSummary> SummarizeAsync(CancellationToken cancellationToken)
    {
        using var hash = new ContentHash();
        long documents = 0;
        long bytes = 0;
        long withEmptyTimestamps = 0;
        await foreach (var document in ReadAsync(cancellationToken))
        {
            hash.Append(document);
            documents++;
            bytes += document.Length;
            if (EmptyTimestamps.AtTopLevel(document)) withEmptyTimestamps++;
        }
        return new DataSummary(documents, bytes, hash.Finish(), withEmptyTimestamps);
    }
}
