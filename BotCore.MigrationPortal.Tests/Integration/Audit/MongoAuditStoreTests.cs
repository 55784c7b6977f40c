using System.Diagnostics;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Tests.Unit.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration.Audit;

/// <summary>The MongoDB audit store: one chain from several instances, tampering seen, indexes behind every query.</summary>
public sealed class MongoAuditStoreTests(MongoFixture mongo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static HashChainedAuditLog Log(IAuditStore store, TimeProvider? time = null) =>
        new(store, time ?? TimeProvider.System, NullLogger<HashChainedAuditLog>.Instance);

    private static IMongoCollection<AuditEntry> Entries(IMongoDatabase database) => database.GetCollection<AuditEntry>(MongoAuditStore.CollectionName);

    [Fact]
    public async Task Concurrent_appends_from_two_portal_instances_form_one_valid_chain()
    {
        var database = mongo.NewStoreDatabase();
        using var secondClient = mongo.NewClient(database);
        var stores = new[] { new MongoAuditStore(database), new MongoAuditStore(secondClient.GetDatabase(database.DatabaseNamespace.DatabaseName)) };
        // As when the first instance has started: its indexes exist before the second one races it.
        await stores[0].EnsureIndexesAsync(Token);
        var instances = stores.Select(store => Log(store)).ToArray();

        // Each instance has four callers recording at once, 25 records each: 200 records racing for sequence numbers.
        await Task.WhenAll(instances.SelectMany((log, instance) => Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++) await log.RecordAsync(AuditTestData.Record(instance * 100 + caller * 25 + i), Token);
        }, Token))));

        var store = new MongoAuditStore(database);
        var report = await AuditChain.VerifyAsync(store.ReadChainAsync(Token), Token);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(200, report.EntriesChecked);
        var chain = await store.ReadChainAsync(Token).ToListAsync(Token);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.Equal(200, chain.Select(e => e.Details).Distinct().Count());
    }

    [Fact]
    public async Task Entries_are_stored_with_camel_case_fields_and_millisecond_utc_time()
    {
        var database = mongo.NewStoreDatabase();
        var time = new FakeTimeProvider(new DateTimeOffset(AuditTestData.Start.AddTicks(12_345)));
        await Log(new MongoAuditStore(database), time).RecordAsync(AuditTestData.Record(0), Token);

        var raw = await database.GetCollection<BsonDocument>(MongoAuditStore.CollectionName).Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Token);

        Assert.Equal(
            ["_id", "sequence", "time", "user", "role", "action", "target", "runId", "details", "previousHash", "hash"],
            raw.Names.OrderBy(n => n == "_id" ? 0 : 1).ToList());
        Assert.Equal(1L, raw["sequence"].AsInt64);
        Assert.Equal(AuditTestData.Start.AddTicks(12_345 - 12_345 % TimeSpan.TicksPerMillisecond), raw["time"].AsBsonDateTime.ToUniversalTime());
    }

    [Fact]
    public async Task An_entry_edited_in_the_database_is_reported_at_its_sequence_number()
    {
        var database = mongo.NewStoreDatabase();
        var store = new MongoAuditStore(database);
        var log = Log(store);
        for (var i = 0; i < 6; i++) await log.RecordAsync(AuditTestData.Record(i), Token);

        await Entries(database).UpdateOneAsync(Builders<AuditEntry>.Filter.Eq(e => e.Sequence, 3),
            Builders<AuditEntry>.Update.Set(e => e.Details, "nothing happened"), cancellationToken: Token);

        var broken = (await AuditChain.VerifyAsync(store.ReadChainAsync(Token), Token)).FirstBreak!;
        Assert.Equal((AuditBreakKind.Edited, 3L), (broken.Kind, broken.Sequence));
    }

    [Fact]
    public async Task An_entry_deleted_from_the_database_is_reported_where_the_sequence_jumps()
    {
        var database = mongo.NewStoreDatabase();
        var store = new MongoAuditStore(database);
        var log = Log(store);
        for (var i = 0; i < 6; i++) await log.RecordAsync(AuditTestData.Record(i), Token);

        await Entries(database).DeleteOneAsync(Builders<AuditEntry>.Filter.Eq(e => e.Sequence, 4), Token);

        var broken = (await AuditChain.VerifyAsync(store.ReadChainAsync(Token), Token)).FirstBreak!;
        Assert.Equal((AuditBreakKind.Missing, 5L), (broken.Kind, broken.Sequence));
    }

    [Fact]
    public async Task The_indexes_every_query_needs_exist_and_sequence_is_unique()
    {
        var database = mongo.NewStoreDatabase();
        await new MongoAuditStore(database).EnsureIndexesAsync(Token);

        var indexes = await (await Entries(database).Indexes.ListAsync(Token)).ToListAsync(Token);
        var byName = indexes.ToDictionary(index => index["name"].AsString);

        Assert.Equal(new BsonDocument("sequence", -1), byName["sequence"]["key"]);
        Assert.True(byName["sequence"]["unique"].ToBoolean());
        Assert.Equal(new BsonDocument { { "user", 1 }, { "sequence", -1 } }, byName["user_sequence"]["key"]);
        Assert.Equal(new BsonDocument { { "action", 1 }, { "sequence", -1 } }, byName["action_sequence"]["key"]);
        Assert.Equal(new BsonDocument { { "target", 1 }, { "sequence", -1 } }, byName["target_sequence"]["key"]);
        Assert.Equal(new BsonDocument("time", -1), byName["time"]["key"]);
    }

    [Fact]
    public async Task Creating_the_indexes_again_at_the_next_start_is_harmless()
    {
        var database = mongo.NewStoreDatabase();
        await new MongoAuditStore(database).EnsureIndexesAsync(Token);

        await new MongoAuditStore(database).EnsureIndexesAsync(Token);

        Assert.Equal(MongoAuditStore.Indexes.Count + 1, (await (await Entries(database).Indexes.ListAsync(Token)).ToListAsync(Token)).Count);
    }

    [Fact]
    public async Task The_page_queries_stay_fast_at_a_hundred_thousand_entries()
    {
        const int count = 100_000;
        var database = mongo.NewStoreDatabase();
        var store = new MongoAuditStore(database);
        await store.EnsureIndexesAsync(Token);
        foreach (var batch in AuditTestData.Chain(count, TimeSpan.FromSeconds(5)).Chunk(10_000))
        {
            await Entries(database).InsertManyAsync(batch, cancellationToken: Token);
        }
        var day = DateOnly.FromDateTime(AuditTestData.Start).AddDays(2);

        var watch = Stopwatch.StartNew();
        var newest = await store.QueryAsync(AuditFilter.None, 0, 25, Token);
        var deepForBob = await store.QueryAsync(new AuditFilter { User = "bob" }, 20_000, 25, Token);
        var approvalsInProduction = await store.QueryAsync(new AuditFilter { Actions = [AuditActions.Approved], Target = "production" }, 0, 25, Token);
        var oneDay = await store.QueryAsync(new AuditFilter { From = day, To = day }, 0, 25, Token);
        watch.Stop();

        Assert.Equal(count, newest.Total);
        Assert.Equal(count, newest.Entries[0].Sequence);
        Assert.Equal(count / 3, deepForBob.Total);
        // Bob has every third entry from #2, so the newest is #99,998 and 20,000 of his later the page starts 60,000 lower.
        Assert.Equal(99_998 - 3 * 20_000, deepForBob.Entries[0].Sequence);
        Assert.Equal(count / 4, approvalsInProduction.Total);
        Assert.All(approvalsInProduction.Entries, e => Assert.Equal((AuditActions.Approved, "production"), (e.Action, e.Target)));
        Assert.Equal(24 * 60 * 60 / 5, oneDay.Total);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"The four page queries took {watch.Elapsed}.");

        var verification = Stopwatch.StartNew();
        var report = await AuditChain.VerifyAsync(store.ReadChainAsync(Token), Token);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(count, report.EntriesChecked);
        Assert.True(verification.Elapsed < TimeSpan.FromSeconds(60), $"Verifying {count} entries took {verification.Elapsed}.");
    }
}
