using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// The file names mongodump --gzip gives a collection, exactly: <c>&lt;name&gt;.metadata.json.gz</c> and the data file
/// <c>&lt;name&gt;.bson.gz</c>, whose name is that of the collection holding the documents (a time series' buckets,
/// <c>system.buckets.&lt;name&gt;</c>); a view has no data file. Names are escaped as Go's <c>url.QueryEscape</c> does, and a
/// name longer than 238 bytes once escaped is cut to 208 bytes followed by <c>%24</c> and the base64url SHA-1 of the name
/// (mongo-tools mongodump/prepare.go, <c>outputPath</c>): with the longest suffix, <c>.metadata.json.gz</c>, no file name passes
/// 255 bytes. mongorestore unescapes the names back, and reads a cut name from the metadata's collectionName.
/// </summary>
public static class DumpFileNames
{
    public const string DataSuffix = ".bson.gz";
    public const string MetadataSuffix = ".metadata.json.gz";
    private const string TimeSeriesBucketsPrefix = "system.buckets.";

    private const int LongestEscapedName = 238;
    private const int CutEscapedNameTo = 208;
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>The collection whose documents a dump holds: the collection itself, or a time series' buckets collection.</summary>
    public static string DataCollection(string collection, string type) =>
        type == CollectionMetadata.TimeSeriesType ? TimeSeriesBucketsPrefix + collection : collection;

    public static string Data(string collection, string type) => Escape(DataCollection(collection, type)) + DataSuffix;

    public static string Metadata(string collection) => Escape(collection) + MetadataSuffix;

    /// <summary>mongodump's file name for a collection name, without suffix.</summary>
    public static string Escape(string name)
    {
        var escaped = QueryEscape(name);
        if (escaped.Length <= LongestEscapedName) return escaped;
        // The escaped name is ASCII: its length is its size in bytes, as Go slices it.
        return escaped[..CutEscapedNameTo] + "%24" + Base64Url.EncodeToString(SHA1.HashData(Encoding.UTF8.GetBytes(name)));
    }

    /// <summary>Go's <c>url.QueryEscape</c>: letters, digits and <c>-_.~</c> stay, a space becomes <c>+</c>, every other UTF-8 byte is %XX.</summary>
    public static string QueryEscape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                escaped.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                escaped.Append('+');
            }
            else
            {
                escaped.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }
        return escaped.ToString();
    }
}
