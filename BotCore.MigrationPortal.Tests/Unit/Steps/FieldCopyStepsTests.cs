using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Steps;

/// <summary>
/// The backfill (copy old → new) and the removal of the old field of an expand-contract change: what each batch sends, as the driver
/// renders it, the mongosh a DBA reads, and the inverses. What the server does with them is in <c>Integration/ExpandContractIntegrationTests</c>.
/// </summary>
public sealed class FieldCopyStepsTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    private static readonly CopyFieldStep Backfill = new("trades", From: "qty", To: "quantity");

    private static readonly RemoveFieldCopyStep Contract = new("trades", Field: "qty", KeptIn: "quantity");

    private static readonly IReadOnlyList<BsonDocument> Batch = [new BsonDocument("_id", 1), new BsonDocument("_id", 7)];

    private static SchemaCatalog AtExpand => ExpandContractExamples.Registry.ExpectedCatalogAt(EngineHarness.V(ExpandContractExamples.Expand));

    [Fact]
    public void The_backfill_visits_documents_that_have_the_old_field_and_lack_the_new_one()
    {
        Assert.Equal(BsonDocument.Parse("{ quantity: { $exists: false }, qty: { $exists: true } }"), Backfill.Pending.Render(Args));
    }

    [Fact]
    public void Each_batch_copies_with_a_pipeline_update_limited_to_its_id_range_and_to_documents_still_lacking_the_new_field()
    {
        var write = Assert.IsType<UpdateManyModel<BsonDocument>>(Assert.Single(Backfill.Copies(Batch)));

        Assert.Equal(BsonDocument.Parse("{ _id: { $gte: 1, $lte: 7 }, quantity: { $exists: false }, qty: { $exists: true } }"), write.Filter.Render(Args));
        // An aggregation pipeline: "$qty" is the document's own qty, not the string.
        Assert.Equal(BsonArray.Create(new[] { BsonDocument.Parse("""{ $set: { quantity: "$qty" } }""") }), write.Update.Render(Args));
    }

    [Fact]
    public void The_backfill_is_a_data_step_that_leaves_the_catalog_alone()
    {
        Assert.Equal(StepKind.Data, Backfill.Kind);
        Assert.Same(AtExpand, Backfill.Apply(AtExpand));
        Assert.Equal("copy qty into quantity in trades where quantity is missing and qty exists", Backfill.Description);
    }

    [Fact]
    public void The_backfill_in_mongosh_is_the_batched_pipeline_update()
    {
        var lines = Backfill.Mongosh(new BatchOptions(500, 0)).Lines;

        Assert.StartsWith("// in batches of 500 by _id", lines[0]);
        Assert.Equal("""inBatches(db.getCollection("trades"), { "quantity" : { "$exists" : false }, "qty" : { "$exists" : true } }, 500, range => [""", lines[1]);
        Assert.Equal("""  { updateMany: { filter: { $and: [range, { "quantity" : { "$exists" : false }, "qty" : { "$exists" : true } }] }, update: [{ "$set" : { "quantity" : "$qty" } }] } },""", lines[2]);
        Assert.Equal("]);", lines[^1]);
    }

    [Fact]
    public void Undoing_the_backfill_removes_the_new_field_only_where_it_still_equals_the_old_one()
    {
        var inverse = Assert.IsType<RemoveFieldCopyStep>(Backfill.Inverse(AtExpand));

        Assert.Equal(new RemoveFieldCopyStep("trades", "quantity", "qty", OnlyWhereEqual: true), inverse);
        Assert.Equal(BsonDocument.Parse("""
            { quantity: { $exists: true }, qty: { $exists: true }, $expr: { $eq: ["$quantity", "$qty"] } }
            """), inverse.Pending.Render(Args));
        var write = Assert.IsType<UpdateManyModel<BsonDocument>>(Assert.Single(inverse.Removals(Batch)));
        Assert.Equal(BsonDocument.Parse("""{ $unset: { quantity: 1 } }"""), write.Update.Render(Args));
    }

    [Fact]
    public void The_contract_removes_the_old_field_where_the_new_one_exists_whatever_its_value()
    {
        Assert.Equal(BsonDocument.Parse("{ qty: { $exists: true }, quantity: { $exists: true } }"), Contract.Pending.Render(Args));
        var write = Assert.IsType<UpdateManyModel<BsonDocument>>(Assert.Single(Contract.Removals(Batch)));
        Assert.Equal(BsonDocument.Parse("{ _id: { $gte: 1, $lte: 7 }, qty: { $exists: true }, quantity: { $exists: true } }"), write.Filter.Render(Args));
        Assert.Equal(BsonDocument.Parse("{ $unset: { qty: 1 } }"), write.Update.Render(Args));
        Assert.Equal("remove qty from trades where quantity exists", Contract.Description);
    }

    [Fact]
    public void The_contracts_rollback_is_a_real_data_step_that_copies_the_new_field_back_into_the_old_one()
    {
        var inverse = Assert.IsType<CopyFieldStep>(Contract.Inverse(AtExpand));

        Assert.Equal(StepKind.Data, inverse.Kind);
        Assert.Equal(("trades", "quantity", "qty"), (inverse.CollectionName, inverse.From, inverse.To));
        var write = Assert.IsType<UpdateManyModel<BsonDocument>>(Assert.Single(inverse.Copies(Batch)));
        Assert.Equal(BsonArray.Create(new[] { BsonDocument.Parse("""{ $set: { qty: "$quantity" } }""") }), write.Update.Render(Args));
    }

    [Fact]
    public void The_contract_in_mongosh_is_the_batched_unset()
    {
        var lines = Contract.Mongosh(new BatchOptions(1000, 0)).Lines;

        Assert.Equal("""  { updateMany: { filter: { $and: [range, { "qty" : { "$exists" : true }, "quantity" : { "$exists" : true } }] }, update: { "$unset" : { "qty" : 1 } } } },""", lines[2]);
    }

    [Theory]
    [InlineData("qty", "qty")]
    [InlineData("$qty", "quantity")]
    [InlineData("qty", "details.quantity")]
    [InlineData("", "quantity")]
    public void A_field_that_is_not_a_distinct_top_level_name_is_refused_when_the_migration_is_built(string from, string to)
    {
        Assert.Throws<ArgumentException>(() => new CopyFieldStep("trades", from, to));
        Assert.Throws<ArgumentException>(() => new RemoveFieldCopyStep("trades", to, from));
    }

    [Fact]
    public void The_examples_expand_and_contract_derive_their_rollbacks()
    {
        var planner = new Engine.Planning.MigrationPlanner(ExpandContractExamples.Registry);

        var down = planner.Plan(EngineHarness.V("1.5.0"), EngineHarness.V("1.3.0")).Migrations.SelectMany(m => m.Steps).Select(s => s.Step.Description).ToList();

        Assert.Equal(
        [
            "set the validator of trades (moderate/error)",
            "copy quantity into qty in trades where qty is missing and quantity exists",
            "drop index trades.idx_trades_quantity",
            "remove quantity from trades where qty exists and holds the same value",
            "set the validator of trades (strict/error)",
        ], down);
    }
}
