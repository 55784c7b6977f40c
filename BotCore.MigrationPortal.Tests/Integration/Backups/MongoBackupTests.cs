using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Integration.Backups;

/// <summary>
/// Backups of a real MongoDB 7 database (skipped, with the reason, where there is none): a backup comes back identical (views and
/// system.js included), a damaged file fails verification, a time-series collection round-trips as its buckets, and empty
/// timestamps are kept. What does not depend on MongoDB itself (a restore's version and changelog) is in
/// <see cref="BackupRestoreScenarioTests"/>, on both backends.
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
        // As the administrator: the portal's user may not drop its scratch database (readWrite grants no dropDatabase).
        foreach (var database in databases)
        {
            await mongo.DropAsAdminAsync(database.DatabaseNamespace.DatabaseName);
            await mongo.DropAsAdminAsync(MongoBackupEngine.ScratchName(database.DatabaseNamespace.DatabaseName));
        }
    }

    /// <summary>A fresh database as the target "it", with the backups feature over it.</summary>
    private (BackupHarness Backups, IMongoDatabase Database) Start()
    {
        var database = NewDatabase();
        harness = new BackupHarness(mongo.ConnectionStringFor(database), database.DatabaseNamespace.DatabaseName);
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

    /// <summary>What a backup holds of a collection, in backup order: its documents, or a time series' buckets.</summary>
    private static async Task<IReadOnlyList<BsonDocument>> StoredAsync(IMongoDatabase database, CollectionMetadata metadata) =>
        await database.GetCollection<BsonDocument>(metadata.DataCollection).Find(FilterDefinition<BsonDocument>.Empty).Sort(DumpQuery.Order).ToListAsync(Token);

    /// <summary>A time series' measurements as the application reads them, in one order whatever the buckets.</summary>
    private static async Task<IReadOnlyList<BsonDocument>> MeasurementsAsync(IMongoDatabase database, string collection, string timeField) =>
        await database.GetCollection<BsonDocument>(collection).Find(FilterDefinition<BsonDocument>.Empty)
            .Sort(new BsonDocument { { timeField, 1 }, { "_id", 1 } }).ToListAsync(Token);

    /// <summary>The collections left in the target's scratch database: none but its lease and MongoDB's own.</summary>
    private static async Task<IReadOnlyList<string>> ScratchCollectionsAsync(IMongoDatabase database) =>
        (await (await database.Client.GetDatabase(MongoBackupEngine.ScratchName(database.DatabaseNamespace.DatabaseName))
            .ListCollectionNamesAsync(cancellationToken: Token)).ToListAsync(Token))
        .Where(name => name != TargetCollections.Lock && !name.StartsWith("system.", StringComparison.Ordinal)).ToList();

    private static async Task<IReadOnlyList<BsonDocument>> IndexesAsync(IMongoDatabase database, string collection) =>
        await (await database.GetCollection<BsonDocument>(collection).Indexes.ListAsync(Token)).ToListAsync(Token);

    private static async Task<BsonDocument> ListedAsync(IMongoDatabase database, string collection) =>
        await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", collection) }, Token)).SingleAsync(Token);

    [Fact]
    public async Task A_backup_restored_into_a_fresh_database_gives_identical_documents_options_indexes_views_and_stored_functions()
    {
        var (backups, database) = Start();
        await backups.MigrateAsync(Target, "1.3.0");
        await database.GetCollection<BsonDocument>("users").InsertManyAsync(Users(300), cancellationToken: Token);
        await database.GetCollection<BsonDocument>("mixed").InsertManyAsync(Mixed(1_000), cancellationToken: Token);
        await database.GetCollection<BsonDocument>("mixed").Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            new BsonDocument { { "nested.when", -1 }, { "int64", 1 } }, new CreateIndexOptions { Name = "idx_mixed", Sparse = true }), cancellationToken: Token);
        await database.RunCommandAsync<BsonDocument>(BsonDocument.Parse("{ create: 'active_users', viewOn: 'users', pipeline: [ { $match: { is_active: true } } ] }"),
            cancellationToken: Token);
        await database.GetCollection<BsonDocument>(MongoBackupEngine.SystemJs).InsertOneAsync(
            new BsonDocument { { "_id", "add" }, { "value", new BsonJavaScript("function (a, b) { return a + b; }") } }, cancellationToken: Token);

        var backup = await backups.Backups.CreateAsync(Olga, Target, null, null, new RecordingProgress(), Token);
        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);

        Assert.True(verified.IsVerified, string.Join("; ", verified.Verification!.Details));
        Assert.True(backup.WholeDatabase);
        Assert.Equal("1.3.0", backup.SchemaVersion);
        Assert.Contains(backup.Collections, c => c is { Name: "mixed", Documents: 1_000 });
        Assert.Contains(backup.Collections, c => c is { Name: "market_data", Type: "timeseries" });
        Assert.Contains(backup.Collections, c => c is { Name: "active_users", Type: "view", Documents: 0 });
        Assert.Contains(backup.Collections, c => c is { Name: MongoBackupEngine.SystemJs, Documents: 1 });
        Assert.DoesNotContain(backup.Collections, c => c.Name is TargetCollections.Lock or TargetCollections.Checkpoints || c.Name.StartsWith("system.buckets.", StringComparison.Ordinal));
        Assert.Empty(await ScratchCollectionsAsync(database));

        var fresh = NewDatabase();
        var loader = new MongoCollectionLoader(fresh, backups.Store.Paths.Files(backup.Id, backup.Database), new BackupReporter(new RecordingProgress(), TimeProvider.System, "restore"),
            100, LoadPurpose.Restore, (await MongoServerVersion.ReadAsync(fresh, Token)).KeepsEmptyTimestamps);
        foreach (var collection in backup.Collections)
        {
            var metadata = await loader.ReadMetadataAsync(collection.Name, Token);
            await loader.RecreateAsync(metadata, Token);
            var step = new BackupReporter(new RecordingProgress(), TimeProvider.System, "restore").Start(1, 1, collection.Name, collection.Documents);
            await loader.InsertAsync(metadata, step, Token);
            await loader.CreateIndexesAsync(metadata, Token);

            Assert.Equal((await ListedAsync(database, collection.Name))["type"], (await ListedAsync(fresh, collection.Name))["type"]);
            if (metadata.IsView)
            {
                Assert.Equal((await ListedAsync(database, collection.Name))["options"], (await ListedAsync(fresh, collection.Name))["options"]);
                continue;
            }
            Assert.Equal(await StoredAsync(database, metadata), await StoredAsync(fresh, metadata));
            Assert.Empty(IndexComparison.Differences(await IndexesAsync(database, collection.Name), await IndexesAsync(fresh, collection.Name)));
        }
        Assert.Empty(Engine.Catalog.CatalogDiff.Between(await MongoCatalogReader.ReadAsync(database, Token), await MongoCatalogReader.ReadAsync(fresh, Token)));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    public async Task A_damaged_backup_file_fails_verification_with_a_message_and_the_scratch_database_is_emptied(string damage)
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
        Assert.Empty(await ScratchCollectionsAsync(database));
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupVerified && r.Details.Contains("FAILED"));
    }

    [Fact]
    public async Task A_time_series_collection_is_backed_up_as_its_buckets_and_round_trips_with_its_options_measurements_and_indexes()
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
        var before = await MeasurementsAsync(database, "ticks", "t");
        var buckets = await database.GetCollection<BsonDocument>("system.buckets.ticks").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Token);
        var indexesBefore = await IndexesAsync(database, "ticks");
        var optionsBefore = (await ListedAsync(database, "ticks"))["options"].AsBsonDocument;

        var backup = await backups.Backups.CreateAsync(Olga, Target, ["ticks"], null, new RecordingProgress(), Token);
        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
        await ticks.Database.DropCollectionAsync("ticks", Token);
        await backups.Restorer.RestoreAsync(Alice, backup.Id, Target, BackupIds.RestoreOperation(backup.Id, 1), new RecordingProgress(), Token);

        Assert.True(verified.IsVerified, string.Join("; ", verified.Verification!.Details));
        var backedUp = backup.Collections.Single(c => c.Name == "ticks");
        Assert.Equal(("timeseries", buckets), (backedUp.Type, backedUp.Documents));
        // mongodump's layout, which mongorestore restores whole: the buckets beside the collection's metadata.
        var folder = Path.Combine(backups.Location, backup.Id, backup.Database);
        Assert.True(File.Exists(Path.Combine(folder, "system.buckets.ticks.bson.gz")));
        Assert.False(File.Exists(Path.Combine(folder, "ticks.bson.gz")));
        await using (var file = File.OpenRead(Path.Combine(folder, "ticks.metadata.json.gz")))
        {
            var written = await CollectionMetadataFile.ReadAsync(file, "ticks.metadata.json.gz", Token);
            Assert.Equal("timeseries", written.Type);
            Assert.Equal(("t", "m", "minutes"), (written.Options["timeseries"]["timeField"].AsString, written.Options["timeseries"]["metaField"].AsString,
                written.Options["timeseries"]["granularity"].AsString));
            Assert.DoesNotContain(written.Indexes, index => index["name"] == "_id_");
        }
        var listed = await ListedAsync(database, "ticks");
        Assert.Equal("timeseries", listed["type"].AsString);
        Assert.Equal(optionsBefore["timeseries"], listed["options"]["timeseries"]);
        Assert.Equal(optionsBefore["expireAfterSeconds"].ToInt64(), listed["options"]["expireAfterSeconds"].ToInt64());
        Assert.Equal(before, await MeasurementsAsync(database, "ticks", "t"));
        Assert.Empty(IndexComparison.Differences(indexesBefore, await IndexesAsync(database, "ticks")));
    }

    [Fact]
    public async Task An_empty_timestamp_comes_back_as_it_was_or_the_restore_refuses_before_changing_anything()
    {
        var (backups, database) = Start();
        var events = database.GetCollection<BsonDocument>("events");
        await events.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "placeholder", 0 } }, cancellationToken: Token);
        // An insert would replace Timestamp(0, 0); an update with $literal stores it as it is.
        await events.UpdateOneAsync(new BsonDocument("_id", 1), Builders<BsonDocument>.Update.Pipeline(new BsonDocument[] { new("$set", new BsonDocument("at", new BsonDocument("$literal", new BsonTimestamp(0)))) }),
            cancellationToken: Token);
        var backup = await backups.Backups.CreateAsync(Olga, Target, ["events"], null, new RecordingProgress(), Token);
        await events.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("at", new BsonTimestamp(1_700_000_000, 1))), cancellationToken: Token);

        var restoring = backups.Restorer.RestoreAsync(Alice, backup.Id, Target, BackupIds.RestoreOperation(backup.Id, 1), new RecordingProgress(), Token);

        if ((await MongoServerVersion.ReadAsync(database, Token)).KeepsEmptyTimestamps)
        {
            await restoring;
            Assert.Equal(new BsonTimestamp(0), (await events.Find(new BsonDocument("_id", 1)).SingleAsync(Token))["at"]);
        }
        else
        {
            Assert.Contains("empty timestamp", (await Assert.ThrowsAsync<BackupFailedException>(() => restoring)).Message);
            Assert.Equal(new BsonTimestamp(1_700_000_000, 1), (await events.Find(new BsonDocument("_id", 1)).SingleAsync(Token))["at"]);
        }
    }
}
