using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.ExampleMigrations;

/// <summary>
/// 1.5.0, the contract phase of <see cref="TradesQuantityExpand"/>, released once no application instance reads <c>qty</c>: removes
/// <c>qty</c> only where <c>quantity</c> holds the same value (a different one, from an instance still writing <c>qty</c> alone, is kept,
/// and its gate refuses the run while any exists), then tightens the validator back to requiring <c>quantity</c> (strict). The
/// validator does not forbid <c>qty</c>: before this run's removal every trade still has it, and the pre-check of the new validator
/// would count them all. Its rollback loosens the validator and copies <c>quantity</c> back into <c>qty</c>.
/// </summary>
public sealed class TradesQuantityContract() : Migration("1.5.0", "Contract: trades.qty removed, quantity required")
{
    public override ExpandContractPhase Phase { get; } =
        ExpandContractPhase.Contract(TradesQuantityExpand.Change, "trades", "qty", "quantity", follows: "1.4.0");

    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new RemoveFieldCopyStep("trades", Field: "qty", KeptIn: "quantity", OnlyWhereEqual: true),
        new SetValidatorStep("trades", BsonDocument.Parse("""
            {
              $jsonSchema: {
                bsonType: "object",
                required: ["user_id", "symbol", "side", "quantity", "created_at"],
                properties: {
                  user_id: { bsonType: "objectId" },
                  symbol: { bsonType: "string" },
                  side: { enum: ["BUY", "SELL"] },
                  quantity: { bsonType: "number" },
                  status: { enum: ["PENDING", "FILLED", "PARTIALLY_FILLED", "CANCELLED", "FAILED"] }
                }
              }
            }
            """), ValidationLevel: "strict"),
    ];
}
