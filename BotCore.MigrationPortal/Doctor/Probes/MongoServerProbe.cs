using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Doctor.Privileges;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Doctor.Probes;

/// <summary>
/// Reads what the doctor judges from a MongoDB target, as the target's own user: <c>hello</c>, <c>buildInfo</c>,
/// <c>getParameter</c>, <c>connectionStatus</c> and <c>dbStats</c>. Only <c>hello</c> failing (no server, refused credentials)
/// ends the check-up; a command the user may not run is a finding.
/// </summary>
public sealed class MongoServerProbe(TimeProvider time)
{
    private const int Unauthorized = 13;

    internal static readonly FeatureCompatibility MongosFeatureCompatibility = new(null, "a mongos does not report the cluster's",
        "Read it on each shard's primary: db.adminCommand({ getParameter: 1, featureCompatibilityVersion: 1 }).");

    public async Task<ServerFacts> ReadAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var admin = database.Client.GetDatabase("admin");
        var sentAt = time.GetUtcNow();
        var hello = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken);
        var receivedAt = time.GetUtcNow();
        var (topology, setName) = MongoReplies.Topology(hello);
        var version = MongoServerVersion.Parse((await admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: cancellationToken))["version"].AsString);

        // A mongos does not report the cluster's FCV: getParameter there is unsupported and answers the mongos binary's
        // version on 7.0/8.0, InvalidOptions from 8.3 (SERVER-118760).
        var fcv = topology == TargetTopology.Sharded ? MongosFeatureCompatibility : await TryAsync(
            () => admin.RunCommandAsync<BsonDocument>(new BsonDocument { { "getParameter", 1 }, { "featureCompatibilityVersion", 1 } }, cancellationToken: cancellationToken),
            MongoReplies.FeatureCompatibility,
            problem => new FeatureCompatibility(null, problem),
            "the user may not run getParameter (it needs clusterMonitor)");
        var privileges = HeldPrivileges.Parse(await database.RunCommandAsync<BsonDocument>(
            new BsonDocument { { "connectionStatus", 1 }, { "showPrivileges", true } }, cancellationToken: cancellationToken));
        if (!privileges.Authenticated) privileges = privileges with { AccessControlOff = await AnswersWithoutUserAsync(database, cancellationToken) };
        var size = await TryAsync(
            () => database.RunCommandAsync<BsonDocument>(new BsonDocument("dbStats", 1), cancellationToken: cancellationToken),
            MongoReplies.Size,
            DatabaseSize.Unknown,
            "the user may not run dbStats on it");

        var serverTime = MongoReplies.LocalTime(hello) ?? receivedAt;
        return new ServerFacts(database.DatabaseNamespace.DatabaseName, version, fcv, topology, setName, privileges,
            new ClockReading(sentAt, serverTime, receivedAt), size);
    }

    /// <summary>Nobody is signed in: if listCollections answers anyway, the server does not check privileges at all.</summary>
    private static async Task<bool> AnswersWithoutUserAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            await database.RunCommandAsync<BsonDocument>(new BsonDocument { { "listCollections", 1 }, { "nameOnly", true } }, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoCommandException e) when (e.Code == Unauthorized)
        {
            return false;
        }
    }

    private static async Task<T> TryAsync<T>(Func<Task<BsonDocument>> command, Func<BsonDocument, T> read, Func<string, T> refused, string why)
    {
        try
        {
            return read(await command());
        }
        catch (MongoCommandException e) when (e.Code == Unauthorized)
        {
            return refused(why);
        }
        catch (MongoCommandException e)
        {
            return refused($"the server refused it: {e.CodeName}");
        }
    }

    /// <summary>The database of a MongoDB target; null for a simulated one.</summary>
    public static IMongoDatabase? DatabaseOf(IMigrationTarget target) => (target as MongoMigrationTarget)?.Database;
}
