using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.Migrations;

/// <summary>
/// 1.3.0, the spec's migrations/004_risk_metrics.js: risk metrics, VaR fields on portfolio snapshots and risk fields
/// on positions. positions and portfolio_snapshots are the application's collections (no earlier script creates them;
/// the application does): this migration makes sure they exist and adds its fields, and its rollback removes those
/// fields and leaves the collections, as the spec's own down does. The spec's "liquidation_alerts" collection is planned
/// in its list but has no definition in the script, so it is left for a migration that defines it.
/// </summary>
public sealed class RiskMetrics() : Migration("1.3.0", "Enhanced risk metrics")
{
    /// <summary>The spec marks 1.3.0 "Pending" and its script "(Draft)": not released yet.</summary>
    public override bool IsDraft => true;

    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new CreateCollectionStep(new CollectionDefinition("risk_metrics", CollectionType.Collection, new CollectionOptions(BsonDocument.Parse("""
            {
              $jsonSchema: {
                bsonType: "object",
                required: ["user_id", "timestamp"],
                properties: {
                  user_id: { bsonType: "objectId" },
                  portfolio_var_95: { bsonType: "decimal" },
                  portfolio_var_99: { bsonType: "decimal" },
                  expected_shortfall: { bsonType: "decimal" },
                  leverage_ratio: { bsonType: "double" },
                  margin_usage_percentage: { bsonType: "double" }
                }
              }
            }
            """)))),
        new CreateIndexStep("risk_metrics", new IndexDefinition("idx_risk_metrics_user_time", BsonDocument.Parse("{ user_id: 1, timestamp: -1 }"))),

        new EnsureCollectionStep("positions"),
        new AddFieldsStep("positions", BsonDocument.Parse("""
            {
              "metadata.var_contribution": NumberDecimal("0.00"),
              "metadata.correlation_score": 0.0,
              "metadata.concentration_risk": 0.0
            }
            """)),

        new EnsureCollectionStep("portfolio_snapshots"),
        new AddFieldsStep("portfolio_snapshots", BsonDocument.Parse("""
            {
              var_95: NumberDecimal("0.00"),
              var_99: NumberDecimal("0.00"),
              expected_shortfall: NumberDecimal("0.00")
            }
            """)),
    ];
}
