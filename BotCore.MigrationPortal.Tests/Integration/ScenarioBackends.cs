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
        return new ScenarioPortal(new BackupHarness(mongo.ConnectionString, database.DatabaseNamespace.DatabaseName), "it", database);
    }
}

/// <param name="Database">The target's database on MongoDB; null in the sandbox, which holds no documents.</param>
internal sealed record ScenarioPortal(BackupHarness Portal, string Target, IMongoDatabase? Database) : IDisposable
{
    public void Dispose() => Portal.Dispose();
}
