using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Shadow;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.ExampleMigrations;

/// <summary>
/// An example of the spec's shadow collection pattern (kept in the test assembly: <c>migrations/</c> stays the spec's four):
/// <c>trades.quantity</c> becomes a decimal in every document, which an in-place update would do under Bot Core's feet one document at
/// a time; here <c>trades_shadow</c> is built with the new shape and the validator that requires it, then swapped in, and the original
/// stays as <c>trades_before_2_0_0</c> for the rollback. The transformation is a pipeline, so the server converts (<c>$toDecimal</c>).
/// </summary>
public sealed class TradesShadowRebuild() : Migration("2.0.0", "Trades: quantity as decimal, rebuilt in a shadow collection and swapped")
{
    public const string Collection = "trades";

    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new ShadowRebuildStep(Collection, ShadowTransform.Pipeline(BsonDocument.Parse("{ $set: { quantity: { $toDecimal: \"$quantity\" } } }")), "2.0.0")
        {
            Validator = BsonDocument.Parse("""
                {
                  $jsonSchema: {
                    bsonType: "object",
                    required: ["user_id", "symbol", "side", "quantity", "created_at"],
                    properties: {
                      user_id: { bsonType: "objectId" },
                      symbol: { bsonType: "string" },
                      side: { enum: ["BUY", "SELL"] },
                      quantity: { bsonType: "decimal" },
                      status: { enum: ["PENDING", "FILLED", "PARTIALLY_FILLED", "CANCELLED", "FAILED"] }
                    }
                  }
                }
                """),
        },
    ];
}
