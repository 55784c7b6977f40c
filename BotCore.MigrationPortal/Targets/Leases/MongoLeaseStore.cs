using BotCore.MigrationPortal.Engine.Leases;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>
/// The lease as one document in the target database, timed by the server's clock (<c>$$NOW</c>), never by a portal's. Acquiring is
/// one conditional upsert: it matches the document only when the lease is ours or expired by the server's clock; when someone else
/// holds it, the upsert tries to insert a second document with the same <c>_id</c> and the unique <c>_id</c> index refuses it.
/// </summary>
public sealed class MongoLeaseStore(IMongoCollection<LeaseRecord> leases) : ILeaseStore
{
    private const int DuplicateKey = 11000;
    private static readonly FindOneAndUpdateOptions<LeaseRecord> Upsert = new() { IsUpsert = true, ReturnDocument = ReturnDocument.After };
    private static readonly FindOneAndUpdateOptions<LeaseRecord> Update = new() { ReturnDocument = ReturnDocument.After };

    public async Task<LeaseRecord?> TryAcquireAsync(LeaseHolder holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            return await leases.FindOneAndUpdateAsync(MongoLeaseCommands.Takeable(holder.Id), MongoLeaseCommands.Acquire(holder, duration), Upsert, cancellationToken);
        }
        // findAndModify reports the refused insert as a command error, not a write error.
        catch (MongoCommandException e) when (e.Code == DuplicateKey)
        {
            return null;
        }
    }

    public async Task<LeaseRecord?> TryRenewAsync(string holderId, TimeSpan duration, CancellationToken cancellationToken) =>
        await leases.FindOneAndUpdateAsync(MongoLeaseCommands.HeldBy(holderId), MongoLeaseCommands.Renew(duration), Update, cancellationToken);

    public Task ReleaseAsync(string holderId, CancellationToken cancellationToken) =>
        leases.DeleteOneAsync(MongoLeaseCommands.HeldBy(holderId), cancellationToken);

    public async Task<LeaseRecord?> ReadAsync(CancellationToken cancellationToken) =>
        await leases.Find(new BsonDocument("_id", LeaseRecord.DocumentId)).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>
/// The filters and pipeline updates of <see cref="MongoLeaseStore"/>, in the field names <see cref="LeaseRecord"/> is stored with.
/// Times come from <c>$$NOW</c>, which is one value for the whole statement (filter and update alike); values are wrapped in
/// <c>$literal</c> because a string in a pipeline <c>$set</c> that starts with "$" would be read as a field path.
/// </summary>
public static class MongoLeaseCommands
{
    /// <summary>The lease, when it is ours or has expired by the server's clock.</summary>
    public static FilterDefinition<LeaseRecord> Takeable(string holderId) => new BsonDocument
    {
        { "_id", LeaseRecord.DocumentId },
        {
            "$or", new BsonArray
            {
                new BsonDocument("holder_id", holderId),
                new BsonDocument("$expr", new BsonDocument("$lte", new BsonArray { "$expires_at", "$$NOW" })),
            }
        },
    };

    public static FilterDefinition<LeaseRecord> HeldBy(string holderId) => new BsonDocument { { "_id", LeaseRecord.DocumentId }, { "holder_id", holderId } };

    public static UpdateDefinition<LeaseRecord> Acquire(LeaseHolder holder, TimeSpan duration) => Builders<LeaseRecord>.Update.Pipeline(new BsonDocument[]
    {
        new("$set", new BsonDocument
        {
            { "holder_id", Literal(holder.Id) },
            { "run_id", Literal(holder.RunId) },
            { "user", Literal(holder.User) },
            { "host", Literal(holder.Host) },
            { "acquired_at", "$$NOW" },
            { "expires_at", ExpiresAfter(duration) },
        }),
    });

    public static UpdateDefinition<LeaseRecord> Renew(TimeSpan duration) => Builders<LeaseRecord>.Update.Pipeline(new BsonDocument[]
    {
        new("$set", new BsonDocument("expires_at", ExpiresAfter(duration))),
    });

    // $add of a date and a number of milliseconds is a date.
    private static BsonDocument ExpiresAfter(TimeSpan duration) => new("$add", new BsonArray { "$$NOW", (long)duration.TotalMilliseconds });

    private static BsonDocument Literal(string value) => new("$literal", value);
}
