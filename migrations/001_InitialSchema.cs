using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.Migrations;

/// <summary>
/// 1.0.0, the spec's migrations/001_initial_schema.js: users, trades and the market_data time series, their
/// validators and core indexes, exactly as its script creates them. The spec's "Changes" list also names a positions
/// collection, but the script never creates it and its down never drops it, and Bot Core's database, built by these
/// scripts, has none until the application opens its first position. So positions is the application's collection:
/// 1.3.0, the first migration that needs it, makes sure it exists (and no migration drops it).
/// </summary>
public sealed class InitialSchema() : Migration("1.0.0", "Initial schema setup for MVP launch")
{
    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new CreateCollectionStep(new CollectionDefinition("users", CollectionType.Collection, new CollectionOptions(BsonDocument.Parse("""
            {
              $jsonSchema: {
                bsonType: "object",
                required: ["email", "password_hash", "created_at"],
                properties: {
                  email: {
                    bsonType: "string",
                    pattern: "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$"
                  },
                  password_hash: {
                    bsonType: "string",
                    minLength: 60
                  },
                  is_active: {
                    bsonType: "bool"
                  }
                }
              }
            }
            """)))),
        new CreateIndexStep("users", new IndexDefinition("idx_users_email_unique", BsonDocument.Parse("{ email: 1 }"), unique: true)),

        new CreateCollectionStep(new CollectionDefinition("trades", CollectionType.Collection, new CollectionOptions(BsonDocument.Parse("""
            {
              $jsonSchema: {
                bsonType: "object",
                required: ["user_id", "symbol", "side", "quantity", "created_at"],
                properties: {
                  user_id: { bsonType: "objectId" },
                  symbol: { bsonType: "string" },
                  side: { enum: ["BUY", "SELL"] },
                  status: { enum: ["PENDING", "FILLED", "PARTIALLY_FILLED", "CANCELLED", "FAILED"] }
                }
              }
            }
            """)))),
        new CreateIndexStep("trades", new IndexDefinition("idx_trades_user_created", BsonDocument.Parse("{ user_id: 1, created_at: -1 }"))),
        new CreateIndexStep("trades", new IndexDefinition("idx_trades_ttl", BsonDocument.Parse("{ created_at: 1 }"), expireAfterSeconds: 31_536_000)),

        new CreateCollectionStep(new CollectionDefinition("market_data", CollectionType.TimeSeries, new CollectionOptions(
            validator: null,
            timeSeries: new TimeSeriesDefinition(TimeField: "open_time", MetaField: "symbol", Granularity: "minutes"),
            expireAfterSeconds: 7_776_000))), // 90 days
    ];

    // The spec's post-migration checklist: "Test critical queries" (a user's trades, newest first).
    public override IReadOnlyList<CriticalQuery> CriticalQueries { get; } =
    [
        new("trades", BsonDocument.Parse("{ user_id: ObjectId(\"000000000000000000000000\") }"), BsonDocument.Parse("{ created_at: -1 }"), 10,
            "a user's latest trades", "idx_trades_user_created"),
    ];
}
