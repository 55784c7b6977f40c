using System.IO.Compression;
using System.Text;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>Writes and reads a <c>.metadata.json.gz</c> file: the collection's metadata as gzip-compressed JSON.</summary>
public static class CollectionMetadataFile
{
    /// <param name="destination">Left open: the caller owns it.</param>
    public static async Task WriteAsync(Stream destination, CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(destination, CompressionLevel.Optimal, leaveOpen: true);
        await gzip.WriteAsync(Encoding.UTF8.GetBytes(metadata.ToJson()), cancellationToken);
    }

    /// <exception cref="BackupFileDamagedException">The file is not gzip, is truncated, or does not hold collection metadata.</exception>
    public static async Task<CollectionMetadata> ReadAsync(Stream source, string fileName, CancellationToken cancellationToken)
    {
        var recorded = await GzipEnvelope.ReadRecordedSizeAsync(source, fileName, cancellationToken);
        await using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        using var text = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await GzipEnvelope.ReadFullyAsync(gzip, buffer, fileName, cancellationToken)) > 0) text.Write(buffer, 0, read);
        GzipEnvelope.CheckSize(recorded, text.Length, fileName);
        return CollectionMetadata.Parse(Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length), fileName);
    }
}
