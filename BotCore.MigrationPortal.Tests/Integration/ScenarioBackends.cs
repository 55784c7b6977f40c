using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// One scenario, two backends. A scenario whose behaviour does not depend on MongoDB itself runs here, on every CI run, against the
/// sandbox (simulated target "dev"), and against MongoDB (target "it" in a fresh database) where one is available; without one the
/// MongoDB run is skipped with the reason, never passed. Both are the portal composed by its own <c>AddPortalFeatures</c>.
/// </summary>
public static class ScenarioBackends
{
    public const string Sandbox = "sandbox";
    public const string MongoDb = "mongodb";

    /// <summary>The portal's features over the backend's target, as <see cref="BackupHarness"/> composes them.</summary>
    internal static ScenarioPortal Start(string backend, MongoFixture mongo)
    {
        if (backend == Sandbox) return new ScenarioPortal(new BackupHarness(), "dev", null);
        var database = mongo.NewDatabase();
        return new ScenarioPortal(new BackupHarness(mongo.ConnectionStringFor(database), database.DatabaseNamespace.DatabaseName), "it", database);
    }

    /// <summary>
    /// As <see cref="Start"/>, over Bot Core's database as the spec's scripts took it to 1.2.0 with the application's data beside it: on
    /// MongoDB built by replaying the scripts (<see cref="SpecScriptsMongoDatabase"/>), in the sandbox the simulated target "legacy"
    /// that starts as <see cref="Targets.SpecScriptsDatabase"/> (as the portal's appsettings.json configures it).
    /// </summary>
    internal static async Task<ScenarioPortal> StartBuiltBySpecScriptsAsync(string backend, MongoFixture mongo, CancellationToken cancellationToken)
    {
        if (backend == Sandbox)
        {
            return new ScenarioPortal(new BackupHarness(settings: new Dictionary<string, string?>
            {
                ["Sandbox:Targets:legacy:Tier"] = "Production",
                ["Sandbox:Targets:legacy:BuiltBySpecScriptsTo"] = "1.2.0",
            }), "legacy", null);
        }
        var portal = Start(backend, mongo);
        // Bot Core built its database with its own scripts before the portal existed: as the administrator, not as the portal's user.
        await SpecScriptsMongoDatabase.BuildAsync(mongo.AsAdmin(portal.Database!), DateTime.UtcNow, cancellationToken);
        return portal;
    }
}

/// <param name="Database">The target's database on MongoDB; null in the sandbox, which holds no documents.</param>
internal sealed record ScenarioPortal(BackupHarness Portal, string Target, IMongoDatabase? Database) : IDisposable
{
    public void Dispose() => Portal.Dispose();
}
