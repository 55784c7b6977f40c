using System.Buffers.Binary;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// The parts of a gzip file .NET does not check for us. GZipStream ends quietly at the end of a cut-off file, so the
/// uncompressed size recorded in the trailer (its last four bytes) is compared by the readers themselves.
/// </summary>
internal static class GzipEnvelope
{
    // A 10-byte header, an empty deflate block and the 8-byte trailer.
    private const int SmallestFile = 20;

    /// <summary>The uncompressed size modulo 2^32 the trailer records; null when the stream cannot seek to it.</summary>
    /// <exception cref="BackupFileDamagedException">Too short for a gzip file, or not gzip at all.</exception>
    public static async Task<uint?> ReadRecordedSizeAsync(Stream source, string fileName, CancellationToken cancellationToken)
    {
        if (!source.CanSeek) return null;
        if (source.Length < SmallestFile)
        {
            throw new BackupFileDamagedException(fileName, $"it is {source.Length} bytes long, too short for a gzip file (it is truncated or empty)");
        }
        var start = source.Position;
        var magic = new byte[2];
        await source.ReadExactlyAsync(magic, cancellationToken);
        if (magic[0] != 0x1f || magic[1] != 0x8b) throw new BackupFileDamagedException(fileName, "it does not start like a gzip file");
        source.Seek(-4, SeekOrigin.End);
        var trailer = new byte[4];
        await source.ReadExactlyAsync(trailer, cancellationToken);
        source.Position = start;
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    /// <exception cref="BackupFileDamagedException">The size read differs from the one the trailer records.</exception>
    public static void CheckSize(uint? recorded, long read, string fileName)
    {
        if (recorded is { } size && size != (uint)read)
        {
            throw new BackupFileDamagedException(fileName,
                $"its gzip trailer records {size:N0} bytes but {read:N0} could be read (the file is truncated or its end was changed)");
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; a stream that cannot be decompressed is reported as damage.</summary>
    public static async Task<int> ReadFullyAsync(Stream gzip, Memory<byte> buffer, string fileName, CancellationToken cancellationToken)
    {
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await gzip.ReadAsync(buffer[total..], cancellationToken);
                if (read == 0) break;
                total += read;
            }
        }
        catch (InvalidDataException e)
        {
            // .NET's own message ("unsupported compression method") would send the reader the wrong way.
            throw new BackupFileDamagedException(fileName, "its compressed data is corrupt and cannot be decompressed (bytes were changed)", e);
        }
        return total;
    }
}
