using System.Globalization;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>A server's version as <c>buildInfo</c> reports it, for what a restore may ask of it.</summary>
public sealed record MongoServerVersion(int Major, int Minor, int Patch)
{
    /// <summary>
    /// Whether inserts take <c>bypassEmptyTsReplacement</c> (SERVER-88750), so that <c>Timestamp(0, 0)</c> is stored as it is: from
    /// 8.0, and from 7.0.13, 6.0.17 and 5.0.29, the only releases it was backported to; never on 7.1–7.3 (mongo-tools
    /// common/db/empty_timestamp.go, <c>MongoCanAcceptLiteralZeroTimestamp</c>).
    /// </summary>
    public bool KeepsEmptyTimestamps => Major >= 8 || (Minor == 0 && (Major, Patch) switch
    {
        (7, >= 13) or (6, >= 17) or (5, >= 29) => true,
        _ => false,
    });

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    /// <param name="version">"7.0.14", "8.0.0-rc3", "7.0.2+ent"…</param>
    /// <exception cref="FormatException">Not a MongoDB version.</exception>
    public static MongoServerVersion Parse(string version)
    {
        var parts = version.Split('-', '+')[0].Split('.');
        return parts.Length == 3 && parts.All(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? new MongoServerVersion(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
                int.Parse(parts[2], CultureInfo.InvariantCulture))
            : throw new FormatException($"'{version}' is not a MongoDB server version.");
    }

    public static async Task<MongoServerVersion> ReadAsync(IMongoDatabase database, CancellationToken cancellationToken) =>
        Parse((await database.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: cancellationToken))["version"].AsString);
}
