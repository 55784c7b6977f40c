using System.Diagnostics;
using BotCore.MigrationPortal.Checks.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.Benchmarks;

/// <summary>The portal's orphaned-trades check: every trade joined to users through the _id index.</summary>
public sealed class OrphanLookupCase : IBenchmarkCase
{
    public string Name => "orphaned trades, portal ($lookup on users._id)";

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var orphans = await OrphanedTradesQuery.FindAsync(context.Database, cancellationToken);
        clock.Stop();
        return new BenchmarkResult(Name, await TradesAsync(context, cancellationToken), 0, clock.Elapsed, Note: $"{orphans.Count:N0} orphans");
    }

    internal static Task<long> TradesAsync(BenchmarkContext context, CancellationToken cancellationToken) =>
        context.Database.GetCollection<BsonDocument>(OrphanedTradesQuery.Trades).EstimatedDocumentCountAsync(cancellationToken: cancellationToken);
}

/// <summary>
/// The spec's query, for comparison: every user id fetched with distinct, then $nin over them. It fails once the
/// distinct result passes 16 MB (about a million ObjectIds); the row then says so instead of a time.
/// </summary>
public sealed class OrphanNinCase : IBenchmarkCase
{
    public string Name => "orphaned trades, spec ($nin over distinct users._id)";

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var users = context.Database.GetCollection<BsonDocument>(OrphanedTradesQuery.Users);
        var trades = context.Database.GetCollection<BsonDocument>(OrphanedTradesQuery.Trades);
        var clock = Stopwatch.StartNew();
        try
        {
            var ids = await (await users.DistinctAsync<BsonValue>("_id", FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken)).ToListAsync(cancellationToken);
            var orphans = await trades.CountDocumentsAsync(Builders<BsonDocument>.Filter.Nin("user_id", ids), cancellationToken: cancellationToken);
            clock.Stop();
            return new BenchmarkResult(Name, await OrphanLookupCase.TradesAsync(context, cancellationToken), 0, clock.Elapsed, Note: $"{orphans:N0} orphans");
        }
        catch (MongoCommandException e)
        {
            Console.WriteLine($"{Name}: failed as the spec's query does on large collections: {e.CodeName}");
            return null;
        }
    }
}
