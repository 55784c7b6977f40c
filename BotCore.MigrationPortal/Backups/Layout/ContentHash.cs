using System.Security.Cryptography;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// SHA-256 over a collection's documents in the order they are read (by <c>_id</c>), so that the same documents give the
/// same hash wherever they are read from: the live collection, a backup file, or a scratch copy restored from it.
/// </summary>
public sealed class ContentHash : IDisposable
{
    private readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool ignoreFieldOrder;

    private ContentHash(bool ignoreFieldOrder) => this.ignoreFieldOrder = ignoreFieldOrder;

    /// <summary>
    /// The hash for the documents of <paramref name="metadata"/>'s collection. A time-series collection rebuilds each
    /// measurement from its bucket with the fields in an order of the server's choosing, so there the top-level fields are
    /// hashed in name order: a restored copy then hashes the same as the original.
    /// </summary>
    public static ContentHash For(CollectionMetadata metadata) => new(metadata.IsTimeSeries);

    /// <summary>The hash of a collection without documents.</summary>
    public static string OfNothing { get; } = Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <param name="document">One whole BSON document, as stored.</param>
    public void Append(ReadOnlySpan<byte> document)
    {
        if (!ignoreFieldOrder)
        {
            sha.AppendData(document);
            return;
        }
        var parsed = BsonSerializer.Deserialize<BsonDocument>(document.ToArray());
        sha.AppendData(new BsonDocument(parsed.Elements.OrderBy(e => e.Name, StringComparer.Ordinal)).ToBson());
    }

    public string Finish() => Convert.ToHexStringLower(sha.GetHashAndReset());

    public void Dispose() => sha.Dispose();
}
