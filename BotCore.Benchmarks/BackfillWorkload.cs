using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.Benchmarks;

/// <summary>
/// The uniform backfill every backfill case does, on a collection of its own size: <c>fee_rate: 0.0004</c> set on each document
/// lacking it (the expand phase of a change, or the spec's "add a field with a default"). The collection is seeded once per size
/// with trade-shaped documents, and the field is taken off again (untimed) before each case, so every case starts from the same data.
/// </summary>
public sealed class BackfillWorkload(int documents)
{
    private const int InsertBatch = 10_000;
    public const string Field = "fee_rate";
    public static readonly BsonValue Value = 0.0004;

    public int Documents { get; } = documents;

    public string Collection => $"backfill_{Documents}";

    /// <summary>The portal's data step for it, as a migration would declare it.</summary>
    public AddFieldsStep Step => new(Collection, new BsonDocument(Field, Value));

    /// <summary>Creates the collection with its documents the first time a case asks; afterwards removes the field the last case set.</summary>
    public async Task PrepareAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var collection = database.GetCollection<BsonDocument>(Collection);
        // An exact count: the estimate is metadata, wrong after an unclean shutdown, and would let a half-seeded collection through.
        if (await collection.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken) == Documents)
        {
            await collection.UpdateManyAsync(Builders<BsonDocument>.Filter.Exists(Field), Builders<BsonDocument>.Update.Unset(Field), cancellationToken: cancellationToken);
            return;
        }
        await database.DropCollectionAsync(Collection, cancellationToken);
        for (var start = 0; start < Documents; start += InsertBatch)
        {
            var first = start;
            var documents = Enumerable.Range(first, Math.Min(InsertBatch, Documents - first)).Select(i => new BsonDocument
            {
                { "_id", ObjectId.GenerateNewId() },
                { "symbol", $"SYM{i % 500}" },
                { "side", i % 2 == 0 ? "BUY" : "SELL" },
                { "qty", 1 + i % 1000 },
                { "price", new Decimal128(20_000m + i % 50_000) },
            });
            await collection.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, cancellationToken);
        }
    }

    /// <summary>How many documents have the field now: what each case must leave at <see cref="Documents"/>.</summary>
    public Task<long> DoneAsync(IMongoDatabase database, CancellationToken cancellationToken) =>
        database.GetCollection<BsonDocument>(Collection).CountDocumentsAsync(Builders<BsonDocument>.Filter.Exists(Field), cancellationToken: cancellationToken);
}
