using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Steps;

/// <summary>
/// What the add records before it creates a parent, and how its derived inverse finds those records again: by an owner both share,
/// which another step adding fields below the same parent does not.
/// </summary>
public sealed class CreatedParentRecordsTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
    private static readonly DateTime Now = new(2025, 11, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly ParentPaths RiskLimits = ParentPaths.Of(["risk.limits.max"]);

    [Fact]
    public void A_document_lacking_both_levels_gets_one_record_per_level_as_an_upsert_that_changes_nothing_when_it_exists()
    {
        var writes = CreatedParentRecords.Record("positions: risk.limits.max", BsonDocument.Parse("{ _id: 42, symbol: 'BTCUSDT' }"), RiskLimits, Now)
            .Cast<UpdateOneModel<BsonDocument>>().ToList();

        Assert.Equal(["risk", "risk.limits"], writes.Select(w => w.Filter.Render(Args)["_id"]["parent"].AsString));
        var first = writes[0];
        Assert.Equal(BsonDocument.Parse("""{ _id: { owner: "positions: risk.limits.max", parent: "risk", document: 42 } }"""), first.Filter.Render(Args));
        Assert.Equal(new BsonDocument("$setOnInsert", new BsonDocument("recorded_at", Now)), first.Update.Render(Args));
        Assert.True(first.IsUpsert);
    }

    [Theory]
    [InlineData("{ _id: 1, risk: { limits: {} } }")]
    [InlineData("{ _id: 2, risk: 5 }")]
    [InlineData("{ _id: 3, risk: { limits: null } }")]
    public void A_document_whose_parents_exist_or_block_it_gets_no_record(string document)
    {
        Assert.Empty(CreatedParentRecords.Record("positions: risk.limits.max", BsonDocument.Parse(document), RiskLimits, Now));
    }

    [Fact]
    public void An_add_and_its_derived_inverse_share_one_owner_and_another_step_below_the_same_parent_has_its_own()
    {
        var add = new AddFieldsStep("positions", BsonDocument.Parse("{ 'metadata.var_contribution': NumberDecimal('0.00') }"));
        var remove = Assert.IsType<RemoveFieldsStep>(add.Inverse(SchemaCatalog.Empty));
        var later = new AddFieldsStep("positions", BsonDocument.Parse("{ 'metadata.beta': 0.0 }"));

        var owner = CreatedParentRecords.Owner(add.CollectionName, add.Defaults);

        Assert.Equal(owner, CreatedParentRecords.Owner(remove.CollectionName, remove.Fields));
        Assert.NotEqual(owner, CreatedParentRecords.Owner(later.CollectionName, later.Defaults));
        Assert.Equal(BsonDocument.Parse("""{ "_id.owner": "positions: metadata.var_contribution", "_id.parent": "metadata" }"""),
            CreatedParentRecords.OwnedBy(owner, "metadata").Render(Args));
    }
}
