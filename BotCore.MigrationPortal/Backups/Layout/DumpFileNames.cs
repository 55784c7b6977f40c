using System.Globalization;
using System.Text;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// The file names mongodump --gzip gives a collection: <c>&lt;name&gt;.bson.gz</c> and <c>&lt;name&gt;.metadata.json.gz</c>.
/// Characters a file name cannot hold are percent-encoded, which mongorestore decodes back into the collection name.
/// </summary>
public static class DumpFileNames
{
    public const string DataSuffix = ".bson.gz";
    public const string MetadataSuffix = ".metadata.json.gz";

    public static string Data(string collection) => Escape(collection) + DataSuffix;

    public static string Metadata(string collection) => Escape(collection) + MetadataSuffix;

    public static string Escape(string name)
    {
        var escaped = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '%' or '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString())) escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}
