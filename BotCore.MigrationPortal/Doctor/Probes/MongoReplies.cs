using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Doctor.Probes;

/// <summary>Reads the replies of the commands the doctor runs. Pure, so that canned replies test them.</summary>
public static class MongoReplies
{
    /// <summary>The topology by the engine's rule (<see cref="TargetTopologies.FromHello"/>), and the replica set's name.</summary>
    public static (TargetTopology Topology, string? SetName) Topology(BsonDocument hello) =>
        (TargetTopologies.FromHello(hello), hello.TryGetValue("setName", out var set) ? set.AsString : null);

    /// <summary><c>hello.localTime</c>: the server's clock when it answered (a BSON date, UTC, to the millisecond).</summary>
    public static DateTimeOffset? LocalTime(BsonDocument hello) =>
        hello.TryGetValue("localTime", out var time) && time.IsValidDateTime ? new DateTimeOffset(time.ToUniversalTime()) : null;

    /// <summary>
    /// From <c>{ getParameter: 1, featureCompatibilityVersion: 1 }</c> on admin: <c>{ featureCompatibilityVersion: { version: "7.0" } }</c>
    /// since 3.6 (SERVER-31801: a string before 3.6.0-rc2, read too). During an upgrade or downgrade it also has
    /// <c>targetVersion</c> (SERVER-31630), which is said.
    /// </summary>
    public static FeatureCompatibility FeatureCompatibility(BsonDocument reply)
    {
        var value = reply.GetValue("featureCompatibilityVersion", BsonNull.Value);
        if (value.IsString) return new(value.AsString);
        if (value is BsonDocument document && document.TryGetValue("version", out var version))
        {
            return document.TryGetValue("targetVersion", out var target)
                ? new($"{version.AsString} (moving to {target.AsString})")
                : new(version.AsString);
        }
        return new(null, "the server's reply had no featureCompatibilityVersion");
    }

    /// <summary>
    /// From <c>dbStats</c> (MongoDB manual, "dbStats", Output): <c>dataSize</c>, the uncompressed documents, and <c>storageSize</c>,
    /// what they take on disk; both numbers of any BSON numeric type (int32, int64 or double, depending on the size and version).
    /// </summary>
    public static DatabaseSize Size(BsonDocument dbStats) =>
        new(Number(dbStats, "dataSize"), Number(dbStats, "storageSize"));

    private static long Number(BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && value.IsNumeric ? (long)value.ToDouble() : 0;
}
