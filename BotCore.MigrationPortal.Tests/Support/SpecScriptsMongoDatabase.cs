using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>
/// Bot Core's database as it exists before the portal: the spec's JavaScript scripts 1.0.0, 1.1.0 and 1.2.0 (database-migration-
/// strategy.md, "Migration History") replayed against MongoDB step by step, each command as the Node.js driver under run_migration.js
/// sends it, with the application writing its own data in between. 1.0.0 runs twice (a re-run deployment, after market_data was
/// dropped: see <see cref="ReRunOfInitialSchemaAsync"/>), and its insertOne leaves a second version document; 1.1.0 and 1.2.0
/// update the first one the server finds. What the sandbox simulates of the same database is <see cref="SpecScriptsDatabase"/>.
/// </summary>
/// <remarks>
/// A JavaScript number is a double, but the driver's BSON serializer (js-bson, src/parser/serializer.ts, serializeNumber) writes
/// an integral one in the int32 range as an int32: the scripts' <c>minimum: 0.0</c>, <c>maximum: 1.0</c>, <c>win_rate: 0.0</c> and
/// <c>risk_per_trade: 2.0</c> reach the server as int32 0, 1, 0 and 2, and are written so here.
/// </remarks>
internal static class SpecScriptsMongoDatabase
{
    public const string ApplicationConfigKey = "MAX_OPEN_POSITIONS";

    /// <summary>Builds the database; the documents' dates are <paramref name="now"/>, give or take the seconds the scripts take.</summary>
    public static async Task BuildAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        await InitialSchemaAsync(database, now, cancellationToken);
        await ReRunOfInitialSchemaAsync(database, now.AddSeconds(30), cancellationToken);
        await ApplicationWritesUsersAndTradesAsync(database, now, cancellationToken);
        await PaperTradingAsync(database, now.AddMinutes(1), cancellationToken);
        await ApplicationWritesPortfolioAsync(database, now.AddMinutes(2), cancellationToken);
        await AiAnalysisCacheAsync(database, now.AddMinutes(3), cancellationToken);
        await ApplicationWritesPositionsAsync(database, now.AddMinutes(4), cancellationToken);
    }

    /// <summary>
    /// The second run of 1.0.0, the one that left the second version document. Run again as it is, the script never reaches its
    /// insertOne on MongoDB 7.0: 7.0 answers ok to a create that meets an identical plain collection (SERVER-60064), so users and
    /// trades pass, but still answers NamespaceExists (48) to one that meets an identical time-series collection (made idempotent
    /// in 7.1, SERVER-76547; see jira SERVER-80362), so the script stops at market_data, and run_migration.js would then call
    /// down(), dropping users, trades and market_data. On 7.0 a re-run gets through only where market_data is missing: after it
    /// was dropped (its candles cleared), 1.0.0, the one script that creates it, is run again to bring it back. That is the re-run
    /// replayed here (the Node.js driver's <c>collection.drop()</c> sends <c>{ drop: name }</c>); on 7.1 and later a plain re-run
    /// leaves the same database. BrownfieldIntegrationTests shows the plain re-run stopping on 7.0.
    /// </summary>
    private static async Task ReRunOfInitialSchemaAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        await database.RunCommandAsync<BsonDocument>(new BsonDocument("drop", "market_data"), cancellationToken: cancellationToken);
        await InitialSchemaAsync(database, now, cancellationToken);
    }

    /// <summary>migrations/001_initial_schema.js, up.</summary>
    internal static async Task InitialSchemaAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        await CreateCollectionAsync(database, "users", """
            {
              validator: {
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
            }
            """, cancellationToken);
        await CreateIndexAsync(database, "users", "{ email: 1 }", "{ unique: true, name: 'idx_users_email_unique' }", cancellationToken);

        await CreateCollectionAsync(database, "trades", """
            {
              validator: {
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
            }
            """, cancellationToken);
        await CreateIndexAsync(database, "trades", "{ user_id: 1, created_at: -1 }", "{ name: 'idx_trades_user_created' }", cancellationToken);
        await CreateIndexAsync(database, "trades", "{ created_at: 1 }", "{ expireAfterSeconds: 31536000, name: 'idx_trades_ttl' }", cancellationToken);

        await CreateCollectionAsync(database, "market_data", """
            {
              timeseries: {
                timeField: "open_time",
                metaField: "symbol",
                granularity: "minutes"
              },
              expireAfterSeconds: 7776000
            }
            """, cancellationToken);

        await SystemConfig(database).InsertOneAsync(new BsonDocument
        {
            { "key", "DATABASE_SCHEMA_VERSION" },
            { "value", "1.0.0" },
            { "category", "system" },
            { "description", "Initial schema version" },
            { "is_active", true },
            { "updated_by", SpecScriptsDatabase.ScriptsUpdatedBy },
            { "updated_at", now },
            { "created_at", now },
        }, cancellationToken: cancellationToken);
    }

    /// <summary>migrations/002_paper_trading.js, up.</summary>
    private static async Task PaperTradingAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        await CreateCollectionAsync(database, "paper_trading_accounts", """
            {
              validator: {
                $jsonSchema: {
                  bsonType: "object",
                  required: ["user_id", "initial_balance", "current_balance", "created_at"],
                  properties: {
                    user_id: { bsonType: "objectId" },
                    initial_balance: { bsonType: "decimal" },
                    current_balance: { bsonType: "decimal" }
                  }
                }
              }
            }
            """, cancellationToken);
        await CreateIndexAsync(database, "paper_trading_accounts", "{ user_id: 1 }", "{ unique: true, name: 'idx_paper_accounts_user_unique' }", cancellationToken);

        await CreateCollectionAsync(database, "paper_trading_trades", """
            {
              validator: {
                $jsonSchema: {
                  bsonType: "object",
                  required: ["trade_id", "user_id", "account_id", "symbol", "trade_type"],
                  properties: {
                    trade_id: { bsonType: "string" },
                    user_id: { bsonType: "objectId" },
                    account_id: { bsonType: "objectId" },
                    trade_type: { enum: ["LONG", "SHORT"] },
                    status: { enum: ["OPEN", "CLOSED", "CANCELLED"] }
                  }
                }
              }
            }
            """, cancellationToken);
        await CreateIndexAsync(database, "paper_trading_trades", "{ trade_id: 1 }", "{ unique: true, name: 'idx_paper_trades_id_unique' }", cancellationToken);
        await CreateIndexAsync(database, "paper_trading_trades", "{ user_id: 1, created_at: -1 }", "{ name: 'idx_paper_trades_user_created' }", cancellationToken);

        var users = await database.GetCollection<BsonDocument>("users").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken);
        foreach (var user in users)
        {
            await database.GetCollection<BsonDocument>("paper_trading_accounts").InsertOneAsync(new BsonDocument
            {
                { "user_id", user["_id"] },
                { "initial_balance", Decimal128.Parse("10000.00") },
                { "current_balance", Decimal128.Parse("10000.00") },
                { "equity", Decimal128.Parse("10000.00") },
                { "margin_used", Decimal128.Parse("0.00") },
                { "free_margin", Decimal128.Parse("10000.00") },
                {
                    "metrics", new BsonDocument
                    {
                        { "total_trades", 0 }, { "winning_trades", 0 }, { "losing_trades", 0 }, { "win_rate", 0 },
                        { "total_pnl", Decimal128.Parse("0.00") }, { "total_pnl_percentage", 0 },
                    }
                },
                { "open_positions", 0 },
                { "open_trade_ids", new BsonArray() },
                {
                    "settings", new BsonDocument
                    {
                        { "max_leverage", 10 }, { "max_positions", 5 }, { "default_quantity", Decimal128.Parse("0.05") },
                        { "trading_fees_rate", 0.0004 }, { "enable_ai_trading", true }, { "risk_per_trade", 2 },
                    }
                },
                { "created_at", now },
                { "updated_at", now },
                { "last_trade_at", BsonNull.Value },
                { "reset_at", BsonNull.Value },
            }, cancellationToken: cancellationToken);
        }

        await SetVersionAsync(database, "1.1.0", now, cancellationToken);
    }

    /// <summary>migrations/003_ai_analysis_cache.js, up (its Redis step is skipped by the script itself).</summary>
    private static async Task AiAnalysisCacheAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        await CreateCollectionAsync(database, "ai_analysis_results", """
            {
              validator: {
                $jsonSchema: {
                  bsonType: "object",
                  required: ["analysis_id", "symbol", "signal", "confidence", "timestamp"],
                  properties: {
                    analysis_id: { bsonType: "string" },
                    symbol: { bsonType: "string" },
                    signal: { enum: ["BUY", "SELL", "HOLD", "NEUTRAL"] },
                    confidence: {
                      bsonType: "double",
                      minimum: 0,
                      maximum: 1
                    }
                  }
                }
              }
            }
            """, cancellationToken);
        await CreateIndexAsync(database, "ai_analysis_results", "{ symbol: 1, timestamp: -1 }", "{ name: 'idx_ai_analysis_symbol_timestamp' }", cancellationToken);
        await CreateIndexAsync(database, "ai_analysis_results", "{ signal: 1, confidence: -1 }", "{ name: 'idx_ai_analysis_signal_confidence' }", cancellationToken);
        await CreateIndexAsync(database, "ai_analysis_results", "{ created_at: 1 }", "{ expireAfterSeconds: 2592000, name: 'idx_ai_analysis_ttl' }", cancellationToken);

        await CreateCollectionAsync(database, "ai_signals", "{}", cancellationToken);
        await CreateIndexAsync(database, "ai_signals", "{ signal_id: 1 }", "{ unique: true, name: 'idx_ai_signals_id_unique' }", cancellationToken);

        await SetVersionAsync(database, "1.2.0", now, cancellationToken);
    }

    /// <summary>The application's users (through the 1.0.0 validator) and their trades, before 1.1.0 gives each user a paper account.</summary>
    private static async Task ApplicationWritesUsersAndTradesAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        var users = new[] { "ada@botcore.example", "grace@botcore.example" }.Select(email => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "email", email }, { "password_hash", "$2b$12$" + new string('x', 53) }, { "is_active", true },
            { "created_at", now },
        }).ToList();
        await database.GetCollection<BsonDocument>("users").InsertManyAsync(users, cancellationToken: cancellationToken);
        await database.GetCollection<BsonDocument>("trades").InsertManyAsync(users.Select(user => new BsonDocument
        {
            { "user_id", user["_id"] }, { "symbol", "BTCUSDT" }, { "side", "BUY" }, { "quantity", Decimal128.Parse("0.010") }, { "status", "FILLED" },
            { "created_at", now },
        }), cancellationToken: cancellationToken);
        // A setting of the application's own beside the version documents: adoption must leave it as it is.
        await SystemConfig(database).InsertOneAsync(new BsonDocument
        {
            { "key", ApplicationConfigKey }, { "value", 5 }, { "category", "trading" }, { "is_active", true }, { "updated_at", now },
        }, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The application's portfolio_snapshots, which it created with an index of its own (the collection 1.3.0 adds VaR fields to),
    /// and portfolio_history, which 1.1.0's list of changes names but its script never creates.
    /// </summary>
    private static async Task ApplicationWritesPortfolioAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken)
    {
        var user = await database.GetCollection<BsonDocument>("users").Find(FilterDefinition<BsonDocument>.Empty).FirstAsync(cancellationToken);
        await CreateIndexAsync(database, SpecScriptsDatabase.ApplicationCollection, "{ user_id: 1, timestamp: -1 }",
            $"{{ name: '{SpecScriptsDatabase.ApplicationIndex}' }}", cancellationToken);
        await database.GetCollection<BsonDocument>(SpecScriptsDatabase.ApplicationCollection).InsertManyAsync(
            Enumerable.Range(0, 2).Select(i => new BsonDocument
            {
                { "user_id", user["_id"] }, { "timestamp", now.AddHours(i) }, { "total_value", Decimal128.Parse($"1000{i}.50") },
                { "positions", new BsonArray { new BsonDocument { { "symbol", "BTCUSDT" }, { "quantity", Decimal128.Parse("0.010") } } } },
            }), cancellationToken: cancellationToken);
        await database.GetCollection<BsonDocument>("portfolio_history").InsertManyAsync(
            Enumerable.Range(0, 2).Select(i => new BsonDocument
            {
                { "user_id", user["_id"] }, { "date", now.Date.AddDays(-i) }, { "equity", Decimal128.Parse($"999{i}.00") }, { "pnl", 12.5 * i },
            }), cancellationToken: cancellationToken);
    }

    /// <summary>The application's open positions: one without metadata, one whose metadata holds a field, one whose metadata is empty.</summary>
    private static Task ApplicationWritesPositionsAsync(IMongoDatabase database, DateTime now, CancellationToken cancellationToken) =>
        database.GetCollection<BsonDocument>("positions").InsertManyAsync(new[]
        {
            new BsonDocument { { "symbol", "BTCUSDT" }, { "quantity", Decimal128.Parse("0.010") }, { "opened_at", now } },
            new BsonDocument { { "symbol", "ETHUSDT" }, { "quantity", Decimal128.Parse("0.5") }, { "metadata", new BsonDocument("opened_by", "ai") }, { "opened_at", now } },
            new BsonDocument { { "symbol", "SOLUSDT" }, { "quantity", Decimal128.Parse("3") }, { "metadata", new BsonDocument() }, { "opened_at", now } },
        }, cancellationToken: cancellationToken);

    /// <summary>The later scripts' <c>updateOne({ key }, { $set: { value, updated_at: new Date() } })</c>: the first match the server finds.</summary>
    private static Task SetVersionAsync(IMongoDatabase database, string version, DateTime now, CancellationToken cancellationToken) =>
        SystemConfig(database).UpdateOneAsync(new BsonDocument("key", "DATABASE_SCHEMA_VERSION"),
            new BsonDocument("$set", new BsonDocument { { "value", version }, { "updated_at", now } }), cancellationToken: cancellationToken);

    /// <summary><c>db.createCollection(name, options)</c>: the driver sends <c>{ create: name, ...options }</c>.</summary>
    private static Task CreateCollectionAsync(IMongoDatabase database, string name, string options, CancellationToken cancellationToken) =>
        database.RunCommandAsync<BsonDocument>(new BsonDocument("create", name).AddRange(BsonDocument.Parse(options)), cancellationToken: cancellationToken);

    /// <summary><c>collection.createIndex(keys, options)</c>: the driver sends <c>{ createIndexes: collection, indexes: [{ key, ...options }] }</c>.</summary>
    private static Task CreateIndexAsync(IMongoDatabase database, string collection, string keys, string options, CancellationToken cancellationToken) =>
        database.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createIndexes", collection },
            { "indexes", new BsonArray { new BsonDocument("key", BsonDocument.Parse(keys)).AddRange(BsonDocument.Parse(options)) } },
        }, cancellationToken: cancellationToken);

    private static IMongoCollection<BsonDocument> SystemConfig(IMongoDatabase database) => database.GetCollection<BsonDocument>(TargetCollections.SystemConfig);
}
