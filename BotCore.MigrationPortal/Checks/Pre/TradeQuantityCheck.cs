using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>The spec's pre-migration check 2: trades with a quantity of zero or less.</summary>
internal sealed class TradeQuantityCheck() : OffendingDocumentsCheck("trades", "have quantity <= 0", "has quantity <= 0")
{
    public const string Id = "pre.trade-quantity";

    public override CheckDescriptor Descriptor { get; } = new(Id, "No trades with quantity <= 0",
        "Trades whose quantity is zero or negative (the spec's data-inconsistency check).",
        CheckPhase.PreMigration, CheckSeverity.Blocking);

    protected override FilterDefinition<BsonDocument> Offending => Builders<BsonDocument>.Filter.Lte("quantity", 0);

    protected override IReadOnlyList<string> Shown => ["quantity"];
}
