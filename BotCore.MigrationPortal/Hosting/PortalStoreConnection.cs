using MongoDB.Bson;
using MongoDB.Driver;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>Connects to the portal store at start-up, so that an unreachable MongoDB is said plainly instead of failing later.</summary>
public static class PortalStoreConnection
{
    /// <returns>The database, or why it cannot be used and what to do.</returns>
    public static async Task<(PortalDatabase? Database, string? Problem)> ConnectAsync(PortalStoreOptions options, CancellationToken cancellationToken)
    {
        var address = ConnectionStringRedactor.Redact(options.ConnectionString, options.Database);
        MongoClientSettings settings;
        try
        {
            settings = MongoClientSettings.FromConnectionString(options.ConnectionString);
        }
        catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
        {
            return (null, "Portal__Store__ConnectionString is not a valid MongoDB connection string. Fix it and restart the portal.");
        }
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        settings.ApplicationName = "botcore-migration-portal";
        var client = new MongoClient(settings);
        var database = client.GetDatabase(options.Database);
        try
        {
            var hello = await database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken);
            return (new PortalDatabase(database, address, PortalDatabase.ServesChangeStreams(hello)), null);
        }
        catch (Exception e) when (e is TimeoutException or MongoException)
        {
            client.Dispose();
            var failure = MongoFailures.Classify(e) ?? new MongoFailure(MongoFailureKind.Unreachable, e.GetType().Name);
            var advice = failure.Kind == MongoFailureKind.Unreachable
                ? "Start MongoDB (docker compose up -d mongo), or fix Portal__Store__ConnectionString."
                : "Fix the user or its roles in Portal__Store__ConnectionString (it needs readWrite on the portal database).";
            return (null, $"The portal store at {address} {(failure.Kind == MongoFailureKind.Unreachable ? "is unreachable" : "refused the portal")}: {failure.Reason}. {advice}");
        }
    }
}
