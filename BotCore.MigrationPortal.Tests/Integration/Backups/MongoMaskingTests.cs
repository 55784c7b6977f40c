using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using MongoDB.Bson;
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
}
