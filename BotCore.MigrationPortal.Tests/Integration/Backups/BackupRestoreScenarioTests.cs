using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Integration.Backups;

/// <summary>A restore, on both backends (<see cref="ScenarioBackends"/>): what it gives back, and what it leaves in the target's history.</summary>
public sealed class BackupRestoreScenarioTests(MongoFixture mongo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task A_restore_returns_the_backed_up_collections_and_version_drops_what_was_absent_and_appends_itself_to_the_changelog(string backend)
    {
        using var scenario = ScenarioBackends.Start(backend, mongo);
        var (backups, target, database) = (scenario.Portal, scenario.Target, scenario.Database);
        await backups.MigrateAsync(target, "1.2.0");
        var users = database?.GetCollection<BsonDocument>("users");
        if (users is not null) await users.InsertManyAsync(Users(500), cancellationToken: Token);
        var documentsBefore = users is null ? [] : await AllAsync(users);
        var usersBefore = (await backups.Targets.Get(target).ReadCatalogAsync(Token)).Find("users");
        var backup = await backups.Backups.CreateAsync(Olga, target, ["users", "risk_metrics"], "r-1", new RecordingProgress(), Token);
        Assert.Equal(["risk_metrics"], backup.AbsentCollections);
        Assert.True((await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token)).IsVerified);

        await backups.MigrateAsync(target, "1.3.0");
        if (users is not null)
        {
            await users.DeleteManyAsync(Builders<BsonDocument>.Filter.Lt("created_at", DateTime.UtcNow.AddMinutes(-250)), Token);
            await users.UpdateManyAsync(FilterDefinition<BsonDocument>.Empty, Builders<BsonDocument>.Update.Set("is_active", false), cancellationToken: Token);
            await users.Indexes.DropOneAsync("idx_users_email_unique", Token);
        }
        var changelogBefore = (await backups.Targets.Get(target).ReadHistoryAsync(Token)).Changelog.Count;

        var operation = await backups.Requests.RestoreAsync(Alice, backup.Id, target, Token);
        await backups.RunQueuedJobsAsync();

        var history = await backups.Targets.Get(target).ReadHistoryAsync(Token);
        var catalog = await backups.Targets.Get(target).ReadCatalogAsync(Token);
        Assert.Equal(SchemaVersion.Parse("1.2.0"), history.Applied);
        // History travels with the data: the restore is the changelog's newest entry, nothing older is lost.
        Assert.Equal(changelogBefore + 1, history.Changelog.Count);
        Assert.Equal((ChangelogEntry.Restored, "alice"), (history.Changelog[^1].Status, history.Changelog[^1].AppliedBy));
        Assert.Equal(usersBefore, catalog.Find("users"));
        Assert.Null(catalog.Find("risk_metrics"));
        Assert.Equal(RestoreStatus.Succeeded, (await backups.Store.GetAsync(backup.Id, Token)).Restores.Single(r => r.Id == operation).Status);
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupRestored && r.User == "alice");
        var progress = BackupOperationProgress.Build((await backups.Events.ReadAsync(operation, 0, Token)).Select(e => e.Event));
        Assert.True(progress.Passed, progress.Outcome);
        if (users is not null) Assert.Equal(documentsBefore, await AllAsync(users));
    }

    private static IEnumerable<BsonDocument> Users(int count) => Enumerable.Range(1, count).Select(i => new BsonDocument
    {
        { "_id", ObjectId.GenerateNewId() },
        { "email", $"user{i}@example.com" },
        { "password_hash", new string('h', 60) },
        { "is_active", i % 2 == 0 },
        { "created_at", DateTime.UtcNow.AddMinutes(-i) },
    });

    private static async Task<IReadOnlyList<BsonDocument>> AllAsync(IMongoCollection<BsonDocument> collection) =>
        await collection.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync(Token);
}
