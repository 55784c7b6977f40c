using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Steps;

/// <summary>
/// The commands the add- and remove-fields steps send for 1.3.0's risk fields, rendered as the driver sends them. No server runs
/// here; what the server does with them is in <c>Integration/NestedFieldsIntegrationTests</c>.
/// </summary>
public sealed class NestedFieldCommandsTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    private static readonly AddFieldsStep RiskFields = new("positions", BsonDocument.Parse("""
        { "metadata.var_contribution": NumberDecimal("0.00"), "metadata.correlation_score": 0.0, "metadata.concentration_risk": 0.0 }
        """));

    private static readonly BsonDocument ParentsAreObjectsOrMissing = BsonDocument.Parse("""
        { $expr: { $and: [ { $in: [ { $type: "$metadata" }, ["missing", "object"] ] } ] } }
        """);

    private static readonly IReadOnlyList<BsonDocument> Batch = [new BsonDocument("_id", 1), new BsonDocument("_id", 7)];

    [Fact]
    public void Documents_whose_metadata_is_not_an_object_are_selected_by_the_type_of_the_value_itself()
    {
        Assert.Equal(BsonDocument.Parse("""
            { $expr: { $not: [ { $and: [ { $in: [ { $type: "$metadata" }, ["missing", "object"] ] } ] } ] } }
            """), RiskFields.Refused.Render(Args));
    }

    [Fact]
    public void Pending_documents_lack_a_field_and_have_a_metadata_that_is_an_object_or_missing()
    {
        Assert.Equal(BsonDocument.Parse("""
            { $or: [ { "metadata.var_contribution": { $exists: false } }, { "metadata.correlation_score": { $exists: false } },
                     { "metadata.concentration_risk": { $exists: false } } ] }
            """).Merge(ParentsAreObjectsOrMissing), RiskFields.Pending.Render(Args));
    }

    [Fact]
    public void Every_write_of_the_up_tests_the_parent_again_so_a_document_changed_since_the_check_is_left_not_failed_on()
    {
        var writes = RiskFields.Additions(Batch).Cast<UpdateManyModel<BsonDocument>>().ToList();

        Assert.Equal(3, writes.Count);
        var first = writes[0];
        Assert.Equal(BsonDocument.Parse("""{ _id: { $gte: 1, $lte: 7 }, "metadata.var_contribution": { $exists: false } }""").Merge(ParentsAreObjectsOrMissing),
            first.Filter.Render(Args));
        Assert.Equal(BsonDocument.Parse("""{ $set: { "metadata.var_contribution": NumberDecimal("0.00") } }"""), first.Update.Render(Args));
        Assert.All(writes, write => Assert.Equal(ParentsAreObjectsOrMissing["$expr"], write.Filter.Render(Args)["$expr"]));
    }

    [Fact]
    public void The_down_removes_a_field_only_where_it_holds_exactly_its_default_below_an_object()
    {
        var remove = Assert.IsType<RemoveFieldsStep>(RiskFields.Inverse(SchemaCatalog.Empty));

        var first = Assert.IsType<UpdateManyModel<BsonDocument>>(remove.Removals(Batch).First());

        // The driver writes $and out, since both conditions are $expr.
        Assert.Equal(BsonDocument.Parse("""
            { $and: [
                { _id: { $gte: 1, $lte: 7 } },
                { $expr: { $eq: [ "$metadata.var_contribution", { $literal: NumberDecimal("0.00") } ] } },
                { $expr: { $and: [ { $in: [ { $type: "$metadata" }, ["missing", "object"] ] } ] } } ] }
            """), first.Filter.Render(Args));
        Assert.Equal(BsonDocument.Parse("""{ $unset: { "metadata.var_contribution": 1 } }"""), first.Update.Render(Args));
    }

    [Fact]
    public void A_recorded_parent_is_removed_only_where_it_is_exactly_an_empty_document()
    {
        var records = new[] { ObjectId.Parse("64b000000000000000000001"), ObjectId.Parse("64b000000000000000000002") }
            .Select(id => new BsonDocument("_id", CreatedParentRecords.Id("positions: metadata.var_contribution", "metadata", id)))
            .ToList();

        var write = Assert.IsType<UpdateManyModel<BsonDocument>>(RemoveFieldsStep.ParentRemoval("metadata", records));

        Assert.Equal(BsonDocument.Parse("""
            { _id: { $in: [ ObjectId("64b000000000000000000001"), ObjectId("64b000000000000000000002") ] },
              $expr: { $eq: [ "$metadata", { $literal: {} } ] } }
            """), write.Filter.Render(Args));
        Assert.Equal(BsonDocument.Parse("""{ $unset: { metadata: 1 } }"""), write.Update.Render(Args));
    }

    [Fact]
    public void Top_level_fields_are_added_and_removed_as_before_without_a_parent_test()
    {
        var snapshots = new AddFieldsStep("portfolio_snapshots", BsonDocument.Parse("""{ var_95: NumberDecimal("0.00") }"""));

        Assert.Equal(BsonDocument.Parse("""{ $or: [ { var_95: { $exists: false } } ] }"""), snapshots.Pending.Render(Args));
        Assert.Equal(BsonDocument.Parse("""{ _id: { $gte: 1, $lte: 7 }, var_95: { $exists: false } }"""),
            Assert.IsType<UpdateManyModel<BsonDocument>>(Assert.Single(snapshots.Additions(Batch))).Filter.Render(Args));
        Assert.Equal("add var_95 with defaults to portfolio_snapshots where missing", snapshots.Description);
    }
}
