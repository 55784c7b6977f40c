using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using MongoDB.Bson;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Integration.Backups;

/// <summary>
/// A rehearsal's masking on a real MongoDB 7 (skipped, with the reason, where there is none): the documents inserted into the
/// destination carry the masked values, the rest of each document is as backed up, and the restore still proves the file held
/// what was backed up (its content hash is taken before masking).
/// </summary>
public sealed class MongoMaskingTests(MongoFixture mongo) : IAsyncDisposable
{
    private readonly List<IMongoDatabase> databases = [];
    private BackupHarness? harness;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        harness?.Dispose();
        foreach (var database in databases)
        {
            await mongo.DropAsAdminAsync(database.DatabaseNamespace.DatabaseName);
            await mongo.DropAsAdminAsync(MongoBackupEngine.ScratchName(database.DatabaseNamespace.DatabaseName));
        }
    }

    private IMongoDatabase NewDatabase()
    {
        var database = mongo.NewDatabase();
        databases.Add(database);
        return database;
    }

    [Fact]
    public async Task Masked_values_arrive_in_the_destination_and_everything_else_as_backed_up()
    {
        var source = NewDatabase();
        harness = new BackupHarness(mongo.ConnectionStringFor(source), source.DatabaseNamespace.DatabaseName);
        // A collection of its own, without the validators the migrations give users.
        var users = Enumerable.Range(1, 250).Select(i => new BsonDocument
        {
            { "_id", i }, { "email", $"user{i}@example.com" }, { "phone", $"+41 79 {i:000}" }, { "address", "Main St" }, { "balance", new Decimal128(i * 1.5m) },
        }).ToList();
        await source.GetCollection<BsonDocument>("people").InsertManyAsync(users, cancellationToken: Token);
        var backup = await harness.Backups.CreateAsync(Olga, "it", ["people"], null, new RecordingProgress(), Token);
        var masker = new DocumentMasker(
            [new MaskingRule("people", "email", MaskingKind.Hash), new MaskingRule("people", "phone", MaskingKind.Fixed, "000"), new MaskingRule("people", "address", MaskingKind.Remove)],
            "test-salt"u8.ToArray());
        var destination = NewDatabase();
        var reporter = new BackupReporter(new RecordingProgress(), TimeProvider.System, "restore");
        var loader = new MongoCollectionLoader(destination, harness.Store.Paths.Files(backup.Id, backup.Database), reporter, 100,
            LoadPurpose.Restore, (await MongoServerVersion.ReadAsync(destination, Token)).KeepsEmptyTimestamps, masker);

        var metadata = await loader.ReadMetadataAsync("people", Token);
        await loader.RecreateAsync(metadata, Token);
        var inserted = await loader.InsertAsync(metadata, reporter.Start(1, 1, "people", 250), Token);

        Assert.Equal(backup.Collections.Single(c => c.Name == "people").ContentHash, inserted.ContentHash);
        var restored = await destination.GetCollection<BsonDocument>("people").Find(FilterDefinition<BsonDocument>.Empty).SortBy(d => d["_id"]).ToListAsync(Token);
        Assert.Equal(250, restored.Count);
        Assert.Equal(users.Select(u => masker.Hash(u["email"])), restored.Select(u => u["email"].AsString));
        Assert.All(restored, u => Assert.Equal("000", u["phone"].AsString));
        Assert.All(restored, u => Assert.False(u.Contains("address")));
        Assert.Equal(users.Select(u => u["balance"]), restored.Select(u => u["balance"]));
        Assert.Equal(250, (await source.GetCollection<BsonDocument>("people").Find(Builders<BsonDocument>.Filter.Regex("email", "@example.com$")).ToListAsync(Token)).Count);
    }
    /// <summary>
    /// Through the whole restore, on users as migration 1.0.0 makes it (an e-mail pattern and minLength 60 in its validator, a unique
    /// index on email): plain hash of the e-mail is refused before anything is dropped; hash-email stores addresses the validator
    /// takes, so a later update of a masked document still succeeds; each rule's count is on the restore's line.
    /// </summary>
    [Fact]
    public async Task A_rule_the_validator_would_not_take_is_refused_before_the_drop_and_hash_email_keeps_the_documents_updatable()
    {
        var database = NewDatabase();
        harness = new BackupHarness(mongo.ConnectionStringFor(database), database.DatabaseNamespace.DatabaseName);
        await harness.MigrateAsync("it", "1.0.0");
        var users = database.GetCollection<BsonDocument>("users");
        await users.InsertManyAsync(Enumerable.Range(1, 3).Select(i => new BsonDocument
        {
            { "_id", i }, { "email", $"user{i}@example.com" }, { "password_hash", new string('x', 60) }, { "created_at", DateTime.UtcNow },
            { "tags", new BsonArray { $"t{i}", "shared" } },
        }), cancellationToken: Token);
        var backup = await harness.Backups.CreateAsync(Olga, "it", ["users"], null, new RecordingProgress(), Token);
        var engine = harness.Services.GetRequiredService<MongoBackupEngine>();
        var target = harness.Targets.Get("it");
        DocumentMasker Masker(params MaskingRule[] rules) => new(rules, "test-salt"u8.ToArray());
        BackupReporter Reporter() => new(new RecordingProgress(), TimeProvider.System, "restore");

        var refused = await Assert.ThrowsAsync<BackupFailedException>(() => engine.RestoreAsync(target, backup, harness.Store.Paths,
            Masker(new MaskingRule("users", "email", MaskingKind.Hash)), Reporter(), Token));
        Assert.StartsWith("Nothing was changed: masking rule \"users.email hash\"", refused.Message);
        Assert.Equal(3, await users.CountDocumentsAsync(Builders<BsonDocument>.Filter.Regex("email", "@example.com$"), cancellationToken: Token));

        var masker = Masker(new MaskingRule("users", "email", MaskingKind.HashEmail), new MaskingRule("users", "tags", MaskingKind.Hash),
            new MaskingRule("users", "emial", MaskingKind.Hash));
        var lines = await engine.RestoreAsync(target, backup, harness.Store.Paths, masker, Reporter(), Token);

        var line = Assert.Single(lines, l => l.StartsWith("users:", StringComparison.Ordinal));
        Assert.Contains("users.email hash-email: 3 values; users.tags hash: 6 values; users.emial hash: changed nothing: check the path", line);
        var restored = await users.Find(FilterDefinition<BsonDocument>.Empty).SortBy(d => d["_id"]).ToListAsync(Token);
        Assert.All(restored, u => Assert.EndsWith("@masked.invalid", u["email"].AsString));
        Assert.All(restored, u => Assert.Equal(masker.Hash("shared"), u["tags"][1].AsString));
        var validator = (await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", "users") }, Token)).SingleAsync(Token))
            ["options"]["validator"].AsBsonDocument;
        Assert.Equal(0, await users.CountDocumentsAsync(new BsonDocument("$nor", new BsonArray { validator }), cancellationToken: Token));
        // validationLevel strict: an update of a masked document is validated in full, and passes.
        Assert.Equal(1, (await users.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("is_active", true)), cancellationToken: Token)).ModifiedCount);
    }
}
