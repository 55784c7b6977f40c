using System.Security.Cryptography;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// SHA-256 over a collection's documents, as stored, in the order they are read (by <c>_id</c>), so that the same documents give
/// the same hash wherever they are read from: the live collection, a backup file, or a scratch copy restored from it. A time
/// series is hashed over its buckets, which the server stores as inserted, so a restored copy hashes the same too.
/// </summary>
public sealed class ContentHash : IDisposable
{
    private readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The hash of a collection without documents (and of a view, which holds none).</summary>
    public static string OfNothing { get; } = Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <param name="document">One whole BSON document, as stored.</param>
    public void Append(ReadOnlySpan<byte> document) => sha.AppendData(document);

    public string Finish() => Convert.ToHexStringLower(sha.GetHashAndReset());

    public void Dispose() => sha.Dispose();
}
