using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Mongosh;

/// <summary>What a plan changes, side by side: only the parts that change, and a count of the collections that stay as they are.</summary>
public sealed class CatalogChangeTests
{
    [Fact]
    public void From_1_2_0_to_1_3_0_three_collections_and_an_index_are_created_and_the_rest_stay()
    {
        var before = ExpectedAt("1.2.0");

        var change = CatalogChange.Between(before, ExpectedAt("1.3.0"));

        Assert.Equal(
            [
                (null, "schema version", ChangeKind.Changed),
                ("portfolio_snapshots", "collection", ChangeKind.Created),
                ("positions", "collection", ChangeKind.Created),
                ("risk_metrics", "collection", ChangeKind.Created),
                ("risk_metrics", "index idx_risk_metrics_user_time", ChangeKind.Created),
            ], change.Rows.Select(r => (r.Collection, r.What, r.Kind)));
        Assert.Equal(before.Collections.Count, change.UnchangedCollections);
        Assert.Equal(new BsonString("1.2.0"), change.Rows[0].Before);
        Assert.Equal(new BsonString("1.3.0"), change.Rows[0].After);
    }

    [Fact]
    public void A_changed_collection_shows_only_the_options_that_change()
    {
        var before = Catalog(Collection("users", """{ $jsonSchema: { required: ["email"] } }"""));
        var after = Catalog(Collection("users", """{ $jsonSchema: { required: ["email", "name"] } }""") with { });

        var row = Assert.Single(CatalogChange.Between(before, after).Rows);

        Assert.Equal(("users", "validator", ChangeKind.Changed), (row.Collection, row.What, row.Kind));
        Assert.Equal(BsonDocument.Parse("""{ $jsonSchema: { required: ["email"] } }"""), row.Before);
        Assert.Equal(BsonDocument.Parse("""{ $jsonSchema: { required: ["email", "name"] } }"""), row.After);
    }

    [Fact]
    public void A_dropped_collection_and_a_dropped_index_have_nothing_after()
    {
        var before = Catalog(Collection("a", null, Index("idx_a", "{ x: 1 }")), Collection("b"));
        var after = Catalog(Collection("a"));

        Assert.Equal(
            [("a", "index idx_a", ChangeKind.Dropped, true), ("b", "collection", ChangeKind.Dropped, true)],
            CatalogChange.Between(before, after).Rows.Select(r => (r.Collection!, r.What, r.Kind, r.After is null)));
    }
}
