using BotCore.MigrationPortal.Fixes;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.Fixes;

/// <summary>
/// Trades written without a <c>status</c> (the 1.0.0 validator lists the values <c>status</c> may take but does not require it): the
/// application cannot tell where such a trade is. They get "PENDING", a value the validator's enum accepts and the state a trade
/// starts in, so that the order service looks at them again instead of skipping them. Trades with a status are not touched; a second
/// run finds none without one, so changes nothing. The undo removes the status again from the trades that still hold "PENDING".
/// </summary>
public sealed class TradesMissingStatus() : SetFieldsFix(
    "Set status \"PENDING\" on trades that have no status, so that the order service picks them up again",
    "trades",
    new BsonDocument("status", "PENDING"))
{
    public override FilterDefinition<BsonDocument> StillNeeded => Builders<BsonDocument>.Filter.Exists("status", false);
}
