using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>
/// Trades whose user_id matches no user. The spec counts them with <c>{user_id: {$nin: db.users.distinct("_id")}}</c>, which
/// loads every user id into one reply and fails once the ids pass 16 MB; here each trade is joined to its user through
/// the users' _id index, and only the trades that found none are counted.
/// </summary>
public static class OrphanedTradesQuery
{
    public const string Trades = "trades";
    public const string Users = "users";

    /// <summary>The orphaned trades: how many, and the first few (_id and user_id).</summary>
    public static Task<MatchedDocuments> FindAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        // The driver's typed $lookup brings back whole user documents (or takes let + pipeline without localField/foreignField);
        // this concise form (MongoDB 5.0+) still joins through the _id index but brings back only the _id.
        var joinUser = new BsonDocument("$lookup", new BsonDocument
        {
            { "from", Users },
            { "localField", "user_id" },
            { "foreignField", "_id" },
            { "pipeline", new BsonArray { new BsonDocument("$project", new BsonDocument("_id", 1)) } },
            { "as", "user" },
        });
        var orphans = database.GetCollection<BsonDocument>(Trades).Aggregate(MatchedDocuments.LargeCollections)
            .AppendStage<BsonDocument>(joinUser)
            .Match(Builders<BsonDocument>.Filter.Size("user", 0));
        return MatchedDocuments.OfAsync(orphans, MatchedDocuments.Fields(["_id", "user_id"]), cancellationToken);
    }
}
