using System.Diagnostics;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.Benchmarks;

/// <summary>How much was seeded, measured in the database afterwards.</summary>
public sealed record SeedSummary(long Documents, long BsonBytes, TimeSpan Elapsed);

/// <summary>
/// Seeds the benchmark database: the schema of the latest migration (validators, indexes, TTL) through the portal's own
/// engine, then users and trades that satisfy the validators, inserted in unordered bulk batches, a few at a time.
/// </summary>
public sealed class Seeder(MigrationRegistry registry, MigrationPlanner planner, MigrationRunner runner)
{
    private const int BatchSize = 10_000;
    private const int ConcurrentBatches = 4;
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"];

    public async Task<SeedSummary> SeedAsync(IMigrationTarget target, IMongoDatabase database, int users, int trades, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = planner.Plan(history.Applied, registry.Latest, history);
        var result = await runner.RunAsync(target, plan, new RunRequest("benchmark-seed", "benchmark", new BatchOptions(1000, 0)), new Progress<RunEvent>(), cancellationToken);
        if (!result.Succeeded) throw new MigrationEngineException($"Could not create the schema: {result.Error}");

        var userIds = Enumerable.Range(0, users).Select(_ => ObjectId.GenerateNewId()).ToArray();
        await InsertAsync(database.GetCollection<BsonDocument>("users"), users, i => new BsonDocument
        {
            { "_id", userIds[i] },
            { "email", $"trader{i}@example.com" },
            { "password_hash", "$2b$12$" + new string((char)('a' + i % 26), 53) },
            { "is_active", i % 10 != 0 },
            { "created_at", DateTime.UtcNow.AddDays(-(i % 365)) },
            { "settings", new BsonDocument { { "risk_level", i % 5 }, { "notifications", true } } },
        }, cancellationToken);
        var now = DateTime.UtcNow;
        await InsertAsync(database.GetCollection<BsonDocument>("trades"), trades, i => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() },
            { "user_id", userIds[i % users] },
            { "symbol", Symbols[i % Symbols.Length] },
            { "side", i % 2 == 0 ? "BUY" : "SELL" },
            { "quantity", new Decimal128(0.001m * (1 + i % 1000)) },
            { "price", new Decimal128(20_000m + i % 50_000) },
            { "status", "FILLED" },
            // Within the TTL index's year, so the server deletes none while the benchmark runs.
            { "created_at", now.AddSeconds(-(i % 20_000_000)) },
        }, cancellationToken);
        var bytes = await BsonBytesAsync(database.GetCollection<BsonDocument>("users"), cancellationToken)
            + await BsonBytesAsync(database.GetCollection<BsonDocument>("trades"), cancellationToken);
        return new SeedSummary(users + (long)trades, bytes, clock.Elapsed);
    }

    private static Task InsertAsync(IMongoCollection<BsonDocument> collection, int count, Func<int, BsonDocument> document, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, (count + BatchSize - 1) / BatchSize),
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentBatches, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var documents = Enumerable.Range(batch * BatchSize, Math.Min(BatchSize, count - batch * BatchSize)).Select(document);
                await collection.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, token);
            });

    /// <summary>The collection's size as BSON, summed by the server.</summary>
    private static async Task<long> BsonBytesAsync(IMongoCollection<BsonDocument> collection, CancellationToken cancellationToken)
    {
        var total = await collection.Aggregate()
            .Group(new BsonDocument { { "_id", BsonNull.Value }, { "bytes", new BsonDocument("$sum", new BsonDocument("$bsonSize", "$$ROOT")) } })
            .FirstOrDefaultAsync(cancellationToken);
        return total?["bytes"].ToInt64() ?? 0;
    }
}
