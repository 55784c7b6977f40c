using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Integration.Backups;

/// <summary>
/// Backups of a real MongoDB 7 database (skipped, with the reason, where there is none): a backup comes back identical, a
/// damaged file fails verification, a restore puts a collection back as it was, and a time-series collection round-trips.
/// </summary>
public sealed class MongoBackupTests(MongoFixture mongo) : IAsyncDisposable
{
    private const string Target = "it";
    private readonly List<IMongoDatabase> databases = [];
    private BackupHarness? harness;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        harness?.Dispose();
        foreach (var database in databases) await database.Client.DropDatabaseAsync(database.DatabaseNamespace.DatabaseName, CancellationToken.None);
    }

    /// <summary>A fresh database as the target "it", with the backups feature over it.</summary>
    private (BackupHarness Backups, IMongoDatabase Database) Start()
    {
        var database = NewDatabase();
        harness = new BackupHarness(mongo.ConnectionString, database.DatabaseNamespace.DatabaseName);
        return (harness, database);
    }

    private IMongoDatabase NewDatabase()
    {
        var database = mongo.NewDatabase();
        databases.Add(database);
        return database;
    }

    private static IEnumerable<BsonDocument> Users(int count, string prefix = "user") => Enumerable.Range(1, count).Select(i => new BsonDocument
    {
        { "_id", ObjectId.GenerateNewId() },
        { "email", $"{prefix}{i}@example.com" },
        { "password_hash", new string('h', 60) },
        { "is_active", i % 2 == 0 },
        { "created_at", DateTime.UtcNow.AddMinutes(-i) },
        { "balance", new Decimal128(i * 1.25m) },
    });

    /// <summary>Documents of many BSON types and _id types, more than one insert batch of the harness (100).</summary>
    private static IEnumerable<BsonDocument> Mixed(int count) => Enumerable.Range(1, count).Select(i => new BsonDocument
    {
        { "_id", (i % 3) switch { 0 => (BsonValue)i, 1 => $"id-{i}", _ => ObjectId.GenerateNewId() } },
        { "int64", (long)i * 1_000_000_000_000 },
        { "double", i / 3.0 },
        { "decimal", new Decimal128(i / 7m) },
        { "binary", new BsonBinaryData(BitConverter.GetBytes(i)) },
        { "uuid", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "nested", new BsonDocument { { "array", new BsonArray { 1, "two", BsonNull.Value, new BsonDocument("x", i) } }, { "when", DateTime.UtcNow } } },
        { "regex", new BsonRegularExpression("^a.*", "i") },
        { "timestamp", new BsonTimestamp(i, 1) },
        { "text", new string('x', i % 500) },
    });

    /// <summary>A collection's documents in backup order; for a time-series collection with their top-level fields in name order.</summary>
    private static async Task<IReadOnlyList<BsonDocument>> DocumentsAsync(IMongoDatabase database, string collection, CollectionMetadata metadata)
    {
        var documents = await database.GetCollection<BsonDocument>(collection).Find(FilterDefinition<BsonDocument>.Empty)
            .Sort(DumpQuery.Order(metadata)).ToListAsync(Token);
        return metadata.IsTimeSeries ? documents.Select(d => new BsonDocument(d.Elements.OrderBy(e => e.Name, StringComparer.Ordinal))).ToList() : documents;
    }

    private static async Task<IReadOnlyList<BsonDocument>> IndexesAsync(IMongoDatabase database, string collection) =>
        await (await database.GetCollection<BsonDocument>(collection).Indexes.ListAsync(Token)).ToListAsync(Token);

    private static async Task<BsonDocument> ListedAsync(IMongoDatabase database, string collection) =>
        await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", collection) }, Token)).SingleAsync(Token);

    private static async Task<IReadOnlyList<string>> DatabaseNamesAsync(IMongoClient client) =>
        await (await client.ListDatabaseNamesAsync(Token)).ToListAsync(Token);

    [Fact]
    public async Task A_backup_restored_into_a_fresh_database_gives_identical_documents_options_and_indexes()
    {
        var (backups, database) = Start();
        await backups.MigrateAsync(Target, "1.3.0");
        await database.GetCollection<BsonDocument>("users").InsertManyAsync(Users(300), cancellationToken: Token);
        await database.GetCollection<BsonDocument>("mixed").InsertManyAsync(Mixed(1_000), cancellationToken: Token);
        await database.GetCollection<BsonDocument>("mixed").Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            new BsonDocument { { "nested.when", -1 }, { "int64", 1 } }, new CreateIndexOptions { Name = "idx_mixed", Sparse = true }), cancellationToken: Token);

        var backup = await backups.Backups.CreateAsync(Olga, Target, null, null, new RecordingProgress(), Token);
        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);

        Assert.True(verified.IsVerified, string.Join("; ", verified.Verification!.Details));
        Assert.True(backup.WholeDatabase);
        Assert.Equal("1.3.0", backup.SchemaVersion);
        Assert.Contains(backup.Collections, c => c is { Name: "mixed", Documents: 1_000 });
        Assert.Contains(backup.Collections, c => c is { Name: "market_data", Type: "timeseries" });
        Assert.DoesNotContain(backup.Collections, c => c.Name is TargetCollections.Lock or TargetCollections.Checkpoints || c.Name.StartsWith("system.", StringComparison.Ordinal));
        Assert.DoesNotContain(await DatabaseNamesAsync(database.Client), name => name.StartsWith($"{database.DatabaseNamespace.DatabaseName}_verify_", StringComparison.Ordinal));

        var fresh = NewDatabase();
        var loader = new MongoCollectionLoader(fresh, backups.Store.Paths.Files(backup.Id, backup.Database), new BackupReporter(new RecordingProgress(), TimeProvider.System, "restore"), 100);
        foreach (var collection in backup.Collections)
        {
            var metadata = await loader.ReadMetadataAsync(collection.Name, Token);
            await loader.RecreateAsync(metadata, withExpiry: true, Token);
            var step = new BackupReporter(new RecordingProgress(), TimeProvider.System, "restore").Start(1, 1, collection.Name, collection.Documents);
            await loader.InsertAsync(metadata, step, Token);
            await loader.CreateIndexesAsync(metadata, Token);

            Assert.Equal(await DocumentsAsync(database, collection.Name, metadata), await DocumentsAsync(fresh, collection.Name, metadata));
            Assert.Empty(IndexComparison.Differences(await IndexesAsync(database, collection.Name), await IndexesAsync(fresh, collection.Name)));
            Assert.Equal((await ListedAsync(database, collection.Name))["type"], (await ListedAsync(fresh, collection.Name))["type"]);
        }
        Assert.Empty(Engine.Catalog.CatalogDiff.Between(await MongoCatalogReader.ReadAsync(database, Token), await MongoCatalogReader.ReadAsync(fresh, Token)));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    public async Task A_damaged_backup_file_fails_verification_with_a_message_and_the_scratch_database_is_dropped(string damage)
    {
        var (backups, database) = Start();
        await backups.MigrateAsync(Target, "1.0.0");
        await database.GetCollection<BsonDocument>("users").InsertManyAsync(Users(2_000), cancellationToken: Token);
        var backup = await backups.Backups.CreateAsync(Olga, Target, ["users"], null, new RecordingProgress(), Token);
        var file = Path.Combine(backups.Location, backup.Id, backup.Database, "users.bson.gz");
        var bytes = await File.ReadAllBytesAsync(file, Token);
        if (damage == "flip") bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(file, damage == "flip" ? bytes : bytes[..(bytes.Length * 2 / 3)], Token);

        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);

        Assert.False(verified.IsVerified);
        // However the damage decodes, the file is named and said not to hold what was backed up.
        Assert.Contains(verified.Verification!.Details, d => d.StartsWith("users: users.bson.gz ", StringComparison.Ordinal)
            && (d.Contains("is damaged: ", StringComparison.Ordinal) || d.Contains("does not hold what was backed up", StringComparison.Ordinal)));
        Assert.Contains(verified.Verification.Details, d => d.StartsWith("system_config: 1 documents and content hash match", StringComparison.Ordinal));
        Assert.DoesNotContain(await DatabaseNamesAsync(database.Client), name => name.StartsWith($"{database.DatabaseNamespace.DatabaseName}_verify_", StringComparison.Ordinal));
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupVerified && r.Details.Contains("FAILED"));
    }

    [Fact]
    public async Task A_restore_returns_the_backed_up_collections_and_version_and_leaves_the_changelog()
    {
        var (backups, database) = Start();
        await backups.MigrateAsync(Target, "1.2.0");
        var users = database.GetCollection<BsonDocument>("users");
        await users.InsertManyAsync(Users(500), cancellationToken: Token);
        var metadata = CollectionMetadata.Plain("users");
        var before = await DocumentsAsync(database, "users", metadata);
        var indexesBefore = await IndexesAsync(database, "users");
        var backup = await backups.Backups.CreateAsync(Olga, Target, ["users", "risk_metrics"], "r-1", new RecordingProgress(), Token);
        Assert.Equal(["risk_metrics"], backup.AbsentCollections);
        Assert.True((await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token)).IsVerified);

        await backups.MigrateAsync(Target, "1.3.0");
        await users.DeleteManyAsync(Builders<BsonDocument>.Filter.Lt("created_at", DateTime.UtcNow.AddMinutes(-250)), Token);
        await users.UpdateManyAsync(FilterDefinition<BsonDocument>.Empty, Builders<BsonDocument>.Update.Set("is_active", false), cancellationToken: Token);
        await users.InsertManyAsync(Users(20, "late"), cancellationToken: Token);
        await users.Indexes.DropOneAsync("idx_users_email_unique", Token);
        var changelog = await database.GetCollection<BsonDocument>(TargetCollections.Changelog).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token);

        var operation = await backups.Requests.RestoreAsync(Alice, backup.Id, Target, Token);
        await backups.RunQueuedJobsAsync();

        Assert.Equal(before, await DocumentsAsync(database, "users", metadata));
        Assert.Empty(IndexComparison.Differences(indexesBefore, await IndexesAsync(database, "users")));
        Assert.Equal(SchemaVersion.Parse("1.2.0"), (await backups.Targets.Get(Target).ReadHistoryAsync(Token)).Applied);
        Assert.DoesNotContain("risk_metrics", await (await database.ListCollectionNamesAsync(cancellationToken: Token)).ToListAsync(Token));
        Assert.Equal(changelog, await database.GetCollection<BsonDocument>(TargetCollections.Changelog).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token));
        Assert.Equal(RestoreStatus.Succeeded, (await backups.Store.GetAsync(backup.Id, Token)).Restores.Single(r => r.Id == operation).Status);
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupRestored && r.User == "alice");
        var progress = BackupOperationProgress.Build((await backups.Events.ReadAsync(operation, 0, Token)).Select(e => e.Event));
        Assert.True(progress.Passed, progress.Outcome);
    }

    [Fact]
    public async Task A_time_series_collection_round_trips_with_its_options_measurements_and_indexes()
    {
        var (backups, database) = Start();
        await database.CreateCollectionAsync("ticks", new CreateCollectionOptions
        {
            TimeSeriesOptions = new TimeSeriesOptions("t", "m", TimeSeriesGranularity.Minutes),
            ExpireAfter = TimeSpan.FromDays(3650),
        }, Token);
        var ticks = database.GetCollection<BsonDocument>("ticks");
        var start = DateTime.UtcNow.AddDays(-1);
        await ticks.InsertManyAsync(Enumerable.Range(0, 1_500).Select(i => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() },
            { "m", new BsonDocument { { "symbol", i % 2 == 0 ? "BTCUSDT" : "ETHUSDT" }, { "venue", "x" } } },
            { "t", start.AddSeconds(i * 30) },
            { "price", 100 + i / 10.0 },
            { "volume", (long)i },
        }), cancellationToken: Token);
        await ticks.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument { { "m.symbol", 1 }, { "t", -1 } },
            new CreateIndexOptions { Name = "idx_symbol_time" }), cancellationToken: Token);
        var metadata = new CollectionMetadata("ticks", CollectionMetadata.TimeSeriesType, new BsonDocument("timeseries", new BsonDocument("timeField", "t")), [], null);
        var before = await DocumentsAsync(database, "ticks", metadata);
        var indexesBefore = await IndexesAsync(database, "ticks");
        var optionsBefore = (await ListedAsync(database, "ticks"))["options"].AsBsonDocument;

        var backup = await backups.Backups.CreateAsync(Olga, Target, ["ticks"], null, new RecordingProgress(), Token);
        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
        await ticks.Database.DropCollectionAsync("ticks", Token);
        await backups.Restorer.RestoreAsync(Alice, backup.Id, Target, BackupIds.RestoreOperation(backup.Id, 1), new RecordingProgress(), Token);

        Assert.True(verified.IsVerified, string.Join("; ", verified.Verification!.Details));
        var backedUp = backup.Collections.Single(c => c.Name == "ticks");
        Assert.Equal(("timeseries", 1_500L), (backedUp.Type, backedUp.Documents));
        await using (var file = File.OpenRead(Path.Combine(backups.Location, backup.Id, backup.Database, "ticks.metadata.json.gz")))
        {
            var written = await CollectionMetadataFile.ReadAsync(file, "ticks.metadata.json.gz", Token);
            Assert.Equal("timeseries", written.Type);
            Assert.Equal(("t", "m", "minutes"), (written.Options["timeseries"]["timeField"].AsString, written.Options["timeseries"]["metaField"].AsString,
                written.Options["timeseries"]["granularity"].AsString));
        }
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(backups.Location, backup.Id, backup.Database)), f => f.Contains("system.buckets", StringComparison.Ordinal));
        var listed = await ListedAsync(database, "ticks");
        Assert.Equal("timeseries", listed["type"].AsString);
        Assert.Equal(optionsBefore["timeseries"]["timeField"], listed["options"]["timeseries"]["timeField"]);
        Assert.Equal(optionsBefore["timeseries"]["metaField"], listed["options"]["timeseries"]["metaField"]);
        Assert.Equal(optionsBefore["timeseries"]["granularity"], listed["options"]["timeseries"]["granularity"]);
        Assert.Equal(optionsBefore["expireAfterSeconds"].ToInt64(), listed["options"]["expireAfterSeconds"].ToInt64());
        Assert.Equal(before, await DocumentsAsync(database, "ticks", metadata));
        Assert.Empty(IndexComparison.Differences(indexesBefore, await IndexesAsync(database, "ticks")));
    }
}
