using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.Migrations;

/// <summary>
/// 1.2.0, the spec's migrations/003_ai_analysis_cache.js: the AI analysis cache with its 30-day TTL and the
/// signals collection. The spec's "Migrated existing Redis cache data" is skipped by its own script
/// (Redis may not be available) and is not done here either: the cache refills itself.
/// </summary>
public sealed class AiAnalysisCache() : Migration("1.2.0", "AI analysis caching")
{
    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new CreateCollectionStep(new CollectionDefinition("ai_analysis_results", CollectionType.Collection, new CollectionOptions(BsonDocument.Parse("""
            {
              $jsonSchema: {
                bsonType: "object",
                required: ["analysis_id", "symbol", "signal", "confidence", "timestamp"],
                properties: {
                  analysis_id: { bsonType: "string" },
                  symbol: { bsonType: "string" },
                  signal: { enum: ["BUY", "SELL", "HOLD", "NEUTRAL"] },
                  confidence: {
                    bsonType: "double",
                    minimum: 0.0,
                    maximum: 1.0
                  }
                }
              }
            }
            """)))),
        new CreateIndexStep("ai_analysis_results", new IndexDefinition("idx_ai_analysis_symbol_timestamp", BsonDocument.Parse("{ symbol: 1, timestamp: -1 }"))),
        new CreateIndexStep("ai_analysis_results", new IndexDefinition("idx_ai_analysis_signal_confidence", BsonDocument.Parse("{ signal: 1, confidence: -1 }"))),
        new CreateIndexStep("ai_analysis_results", new IndexDefinition("idx_ai_analysis_ttl", BsonDocument.Parse("{ created_at: 1 }"), expireAfterSeconds: 2_592_000)), // 30 days

        new CreateCollectionStep(CollectionDefinition.Plain("ai_signals")),
        new CreateIndexStep("ai_signals", new IndexDefinition("idx_ai_signals_id_unique", BsonDocument.Parse("{ signal_id: 1 }"), unique: true)),
    ];

    // The spec's post-migration check: the latest analyses of a symbol come from idx_ai_analysis_symbol_timestamp.
    public override IReadOnlyList<CriticalQuery> CriticalQueries { get; } =
    [
        new("ai_analysis_results", BsonDocument.Parse("{ symbol: \"BTCUSDT\" }"), BsonDocument.Parse("{ timestamp: -1 }"), 10,
            "latest analyses of a symbol", "idx_ai_analysis_symbol_timestamp"),
    ];
}
