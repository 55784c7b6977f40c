using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.ExampleMigrations;

/// <summary>
/// 1.4.0, the expand phase of the spec's zero-downtime example, as a migration: trades written by an older application carry
/// <c>qty</c>, the new release dual-writes <c>qty</c> and <c>quantity</c>. The validator accepts either shape (level
/// "moderate", so that a legacy trade that breaks another rule does not fail the backfill's update of it), the backfill copies
/// <c>qty</c> into <c>quantity</c> where it is missing, and the index on <c>quantity</c> is built last, once, over the copied
/// values. An example for the tests, not one of the spec's migrations.
/// </summary>
public sealed class TradesQuantityExpand() : Migration("1.4.0", "Expand: trades.quantity beside trades.qty, backfilled")
{
    public const string Change = "rename trades.qty to trades.quantity";

    public override ExpandContractPhase Phase { get; } = ExpandContractPhase.Expand(Change, "trades", "qty", "quantity");

    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new SetValidatorStep("trades", BsonDocument.Parse("""
            {
              $jsonSchema: {
                bsonType: "object",
                required: ["user_id", "symbol", "side", "created_at"],
                anyOf: [{ required: ["quantity"] }, { required: ["qty"] }],
                properties: {
                  user_id: { bsonType: "objectId" },
                  symbol: { bsonType: "string" },
                  side: { enum: ["BUY", "SELL"] },
                  qty: { bsonType: "number" },
                  quantity: { bsonType: "number" },
                  status: { enum: ["PENDING", "FILLED", "PARTIALLY_FILLED", "CANCELLED", "FAILED"] }
                }
              }
            }
            """), ValidationLevel: "moderate"),
        new CopyFieldStep("trades", From: "qty", To: "quantity"),
        new CreateIndexStep("trades", new IndexDefinition("idx_trades_quantity", BsonDocument.Parse("{ quantity: 1 }"))),
    ];
}
