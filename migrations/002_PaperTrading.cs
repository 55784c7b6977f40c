using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Authoring;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.Migrations;

/// <summary>
/// 1.1.0, the spec's migrations/002_paper_trading.js: paper trading accounts and trades, and one paper account
/// for every existing user. The spec's "Changes" list names a portfolio_history collection that its script never
/// creates and its down never drops: the application writes the portfolio's history there. So it is the application's
/// collection: this migration makes sure it exists (as the list says) and its rollback leaves it, with what it holds.
/// The spec inserts one account per user in a loop; here accounts are upserted by user_id, a batch of users
/// at a time with one unordered bulk write per batch, so a second run (or a resumed one) creates nothing twice.
/// </summary>
public sealed class PaperTrading() : Migration("1.1.0", "Paper trading support")
{
    private static readonly Decimal128 StartingBalance = Decimal128.Parse("10000.00");

    public override IReadOnlyList<IMigrationStep> Steps { get; } =
    [
        new CreateCollectionStep(new CollectionDefinition("paper_trading_accounts", CollectionType.Collection, new CollectionOptions(BsonDocument.Parse("""
            {
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
            """)))),
        new CreateIndexStep("paper_trading_accounts", new IndexDefinition("idx_paper_accounts_user_unique", BsonDocument.Parse("{ user_id: 1 }"), unique: true)),

        new CreateCollectionStep(new CollectionDefinition("paper_trading_trades", CollectionType.Collection, new CollectionOptions(BsonDocument.Parse("""
            {
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
            """)))),
        new CreateIndexStep("paper_trading_trades", new IndexDefinition("idx_paper_trades_id_unique", BsonDocument.Parse("{ trade_id: 1 }"), unique: true)),
        // created_at is not in the validator above, as in the spec: see AcknowledgedFindings.
        new CreateIndexStep("paper_trading_trades", new IndexDefinition("idx_paper_trades_user_created", BsonDocument.Parse("{ user_id: 1, created_at: -1 }"))),

        new EnsureCollectionStep("portfolio_history"),

        new CustomStep(
            "create one paper trading account per existing user (upsert by user_id, in batches)",
            CreateAccountsAsync,
            "delete the paper trading accounts that never traded (as 1.1.0 creates them)",
            DeleteUntradedAccountsAsync,
            ["users", "paper_trading_accounts"],
            Idempotency: "upserts by user_id with $setOnInsert: a user who has an account already is matched and left as is"),
    ];

    // Kept because 1.1.0 is already applied to Bot Core's database by the spec's scripts: this migration describes that database as it is.
    public override IReadOnlyList<AuthoringAcknowledgement> AcknowledgedFindings { get; } =
    [
        new(AuthoringRule.IndexOnUnvalidatedField, "paper_trading_trades", "idx_paper_trades_user_created",
            "The spec's 1.1.0 as applied to Bot Core's database: its validator leaves created_at out, while the application sorts a user's " +
            "paper trades by it. Add created_at: { bsonType: \"date\" } to the validator in a later migration."),
    ];

    private static async Task<StepOutcome> CreateAccountsAsync(StepContext context, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow().UtcDateTime;
        var accounts = context.Database.GetCollection<BsonDocument>("paper_trading_accounts");
        var batch = await context.Batches.ProcessAsync(
            context.Database.GetCollection<BsonDocument>("users"), FilterDefinition<BsonDocument>.Empty, accounts,
            users => users.Select(user => new UpdateOneModel<BsonDocument>(
                Builders<BsonDocument>.Filter.Eq("user_id", user["_id"]),
                new BsonDocument("$setOnInsert", NewAccount(now))) { IsUpsert = true }),
            cancellationToken);
        return StepOutcome.Documents(batch, "paper trading accounts created for users");
    }

    // Undoing deletes only accounts exactly as this step creates them (never traded, never reset): an account with
    // trading history is the application's data, kept even when an earlier run of 1.1.0 made it.
    private static async Task<StepOutcome> DeleteUntradedAccountsAsync(StepContext context, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter;
        var untraded = filter.Eq("last_trade_at", BsonNull.Value) & filter.Eq("reset_at", BsonNull.Value) & filter.Eq("metrics.total_trades", 0);
        var accounts = context.Database.GetCollection<BsonDocument>("paper_trading_accounts");
        var batch = await context.Batches.ProcessAsync(accounts, untraded, accounts,
            page => [new DeleteManyModel<BsonDocument>(BatchFilters.IdRangeOf(page) & untraded)],
            cancellationToken);
        return StepOutcome.Documents(batch, "untraded paper trading accounts deleted");
    }

    /// <summary>
    /// The spec's account document, money as Decimal128. Without user_id: the upsert's equality on user_id puts it in the new
    /// document, and the upsert stays the plain equality-on-the-unique-key shape the server retries after a duplicate key.
    /// </summary>
    private static BsonDocument NewAccount(DateTime now) => new()
    {
        { "initial_balance", StartingBalance },
        { "current_balance", StartingBalance },
        { "equity", StartingBalance },
        { "margin_used", Decimal128.Parse("0.00") },
        { "free_margin", StartingBalance },
        {
            "metrics", new BsonDocument
            {
                { "total_trades", 0 }, { "winning_trades", 0 }, { "losing_trades", 0 }, { "win_rate", 0.0 },
                { "total_pnl", Decimal128.Parse("0.00") }, { "total_pnl_percentage", 0.0 },
            }
        },
        { "open_positions", 0 },
        { "open_trade_ids", new BsonArray() },
        {
            "settings", new BsonDocument
            {
                { "max_leverage", 10 }, { "max_positions", 5 }, { "default_quantity", Decimal128.Parse("0.05") },
                { "trading_fees_rate", 0.0004 }, { "enable_ai_trading", true }, { "risk_per_trade", 2.0 },
            }
        },
        { "created_at", now },
        { "updated_at", now },
        { "last_trade_at", BsonNull.Value },
        { "reset_at", BsonNull.Value },
    };
}
