using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Mongosh;

/// <summary>
/// Each step kind's commands as mongosh text, exactly: shell syntax (quoted keys, so <c>$</c> operators are valid property names;
/// NumberDecimal, NumberLong and ISODate for BSON types), built from what the step executes with.
/// </summary>
public sealed class StepMongoshTests
{
    private static readonly BatchOptions Batching = new(BatchSize: 500);

    private static string Text(IMigrationStep step) => step.Mongosh(Batching).Text;

    [Fact]
    public void Creating_a_collection_shows_createCollection_with_its_validator_options_then_each_of_its_indexes()
    {
        var step = new CreateCollectionStep(Collection("orders", """{ $jsonSchema: { required: ["placed_at"] } }""", Index("idx_orders_placed", "{ placed_at: -1 }")));

        Assert.Equal("""
            // only if orders does not exist yet; if it does, with the same options, only its missing indexes are created
            db.createCollection("orders", { "validator" : { "$jsonSchema" : { "required" : ["placed_at"] } }, "validationLevel" : "strict", "validationAction" : "error" });
            db.getCollection("orders").createIndex({ "placed_at" : -1 }, { "name" : "idx_orders_placed" });
            """.ReplaceLineEndings("\n"), Text(step));
    }

    [Fact]
    public void A_time_series_collection_shows_its_timeseries_option_and_expiry_in_seconds()
    {
        var step = new CreateCollectionStep(TimeSeries("ticks", "at", "symbol", "seconds", 86_400));

        Assert.EndsWith("""
            db.createCollection("ticks", { "timeseries" : { "timeField" : "at", "metaField" : "symbol", "granularity" : "seconds" }, "expireAfterSeconds" : 86400 });
            """, Text(step));
    }

    [Fact]
    public void Creating_an_index_shows_its_name_uniqueness_expiry_and_partial_filter()
    {
        var index = new IndexDefinition("idx_sessions_token", BsonDocument.Parse("{ token: 1 }"), unique: true, expireAfterSeconds: 3600,
            partialFilterExpression: BsonDocument.Parse("""{ issued_at: { $gt: ISODate("2024-01-01T00:00:00Z") }, uses: { $lt: NumberLong(5) } }"""));

        Assert.Equal("""
            db.getCollection("sessions").createIndex({ "token" : 1 }, { "name" : "idx_sessions_token", "unique" : true, "expireAfterSeconds" : 3600, "partialFilterExpression" : { "issued_at" : { "$gt" : ISODate("2024-01-01T00:00:00Z") }, "uses" : { "$lt" : NumberLong(5) } } });
            """, Text(new CreateIndexStep("sessions", index)));
    }

    [Fact]
    public void Setting_a_validator_shows_the_very_collMod_command_the_step_sends()
    {
        var step = new SetValidatorStep("users", BsonDocument.Parse("""{ email: { $type: "string" } }"""), ValidationAction: "warn");

        Assert.Equal("""
            db.runCommand({ "collMod" : "users", "validator" : { "email" : { "$type" : "string" } }, "validationLevel" : "strict", "validationAction" : "warn" });
            """, Text(step));
        Assert.Equal(BsonDocument.Parse("""{ collMod: "users", validator: { email: { $type: "string" } }, validationLevel: "strict", validationAction: "warn" }"""),
            step.Command);
    }

    [Fact]
    public void Removing_a_validator_sends_an_empty_one()
    {
        Assert.Equal("""
            db.runCommand({ "collMod" : "users", "validator" : { }, "validationLevel" : "strict", "validationAction" : "error" });
            """, Text(new SetValidatorStep("users", null)));
    }

    [Fact]
    public void Dropping_an_index_a_collection_or_renaming_one_shows_the_shell_helper_and_its_conditions()
    {
        Assert.Equal("""db.getCollection("trades").dropIndex("idx_trades_ttl");""", Text(new DropIndexStep("trades", Index("idx_trades_ttl", "{ created_at: 1 }"))));
        Assert.Equal("""db.getCollection("ai_signals").drop();""", Text(new DropCollectionStep(CollectionDefinition.Plain("ai_signals"))));
        Assert.Equal("""
            // only if it is still the collection this run created (UUID 0b7c1d2e-0000-4000-8000-000000000001); another is refused, not dropped
            // only if it holds no documents (db.getCollection("scratch").countDocuments({}) is 0); otherwise refused
            db.getCollection("scratch").drop();
            """.ReplaceLineEndings("\n"), Text(new DropCollectionStep(CollectionDefinition.Plain("scratch"), OnlyIfEmpty: true)
            {
                CreatedAs = Guid.Parse("0b7c1d2e-0000-4000-8000-000000000001"),
            }));
        Assert.Equal("""
            // only if old-name exists and new_name does not (only new_name: already done)
            db.getCollection("old-name").renameCollection("new_name");
            """.ReplaceLineEndings("\n"), Text(new RenameCollectionStep("old-name", "new_name")));
    }

    [Fact]
    public void An_application_collection_is_created_only_when_missing_and_its_rollback_sends_nothing()
    {
        Assert.Equal("""
            // only if positions does not exist yet; if it does, it is left as the application made it (a view is refused)
            db.createCollection("positions");
            """.ReplaceLineEndings("\n"), Text(new EnsureCollectionStep("positions")));
        Assert.Equal("// no command: positions is left in place, with all it holds (the application's)", Text(new LeaveCollectionStep("positions")));
    }

    [Fact]
    public void A_custom_step_says_it_is_custom_code_and_invents_no_command()
    {
        var step = new CustomStep("copy balances\ninto the ledger", (_, _) => Task.FromResult(StepOutcome.Done("")), "clear the ledger",
            (_, _) => Task.FromResult(StepOutcome.Done("")), ["ledger"]);

        Assert.Equal("// custom code: copy balances into the ledger (C# in the migration's source; no command can be shown for it)", Text(step));
        Assert.Equal("// custom code: clear the ledger (C# in the migration's source; no command can be shown for it)", Text(step.Inverse(SchemaCatalog.Empty)));
    }

    [Fact]
    public void Adding_fields_shows_its_filter_and_each_write_in_batches_by_id()
    {
        var step = new AddFieldsStep("portfolio_snapshots", BsonDocument.Parse("""{ var_95: NumberDecimal("0.00"), checked: false }"""));

        Assert.Equal("""
            // in batches of 500 by _id, each batch's writes unordered, limited to its _id range:
            inBatches(db.getCollection("portfolio_snapshots"), { "$or" : [{ "var_95" : { "$exists" : false } }, { "checked" : { "$exists" : false } }] }, 500, range => [
              { updateMany: { filter: { $and: [range, { "var_95" : { "$exists" : false } }] }, update: { "$set" : { "var_95" : NumberDecimal("0.00") } } } },
              { updateMany: { filter: { $and: [range, { "checked" : { "$exists" : false } }] }, update: { "$set" : { "checked" : false } } } },
            ]);
            """.ReplaceLineEndings("\n"), Text(step));
    }

    [Fact]
    public void Removing_fields_shows_its_filter_and_each_unset()
    {
        var step = new RemoveFieldsStep("portfolio_snapshots", BsonDocument.Parse("""{ legacy_flag: true }"""));

        Assert.Equal("""
            // in batches of 500 by _id, each batch's writes unordered, limited to its _id range:
            inBatches(db.getCollection("portfolio_snapshots"), { "$or" : [{ "legacy_flag" : { "$exists" : true } }] }, 500, range => [
              { updateMany: { filter: { $and: [range, { "legacy_flag" : { "$exists" : true } }] }, update: { "$unset" : { "legacy_flag" : 1 } } } },
            ]);
            """.ReplaceLineEndings("\n"), Text(step));
    }

    [Fact]
    public void Nested_fields_show_the_bookkeeping_passes_for_the_parents_they_create_and_take_back()
    {
        var add = new AddFieldsStep("positions", BsonDocument.Parse("""{ "metadata.score": 0.0 }"""));

        var up = add.Mongosh(Batching).Lines;
        var down = add.Inverse(SchemaCatalog.Empty).Mongosh(Batching).Lines;

        Assert.StartsWith("// first, in batches of 500 by _id", up[0]);
        Assert.Contains("""records each document's missing metadata in migration_created_parents as { _id: { owner: "positions: metadata.score", parent, document: <its _id> } }""", up[0]);
        Assert.StartsWith("// then counts the documents left as they are: ", up[^1]);
        Assert.Contains("""in the documents they name, { "$unset" : { "metadata" : 1 } } where { "$expr" : { "$eq" : ["$metadata", { "$literal" : { } }] } }""", down[^2]);
        Assert.Equal("""// then deletes those records of "positions: metadata.score" from migration_created_parents""", down[^1]);
    }

    [Fact]
    public void Batches_larger_than_a_transaction_holds_say_the_size_used_in_one()
    {
        var step = new AddFieldsStep("positions", BsonDocument.Parse("{ flag: 1 }"));

        Assert.StartsWith("// in batches of 50,000 by _id (10,000 where each batch runs in a transaction),", step.Mongosh(new BatchOptions(50_000)).Lines[0]);
    }
}
