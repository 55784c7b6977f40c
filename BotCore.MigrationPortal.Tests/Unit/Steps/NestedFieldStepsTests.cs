using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Steps;

/// <summary>1.3.0's nested risk fields as the planner, the plan preview and the rollback see them: described, inverted, checked when built.</summary>
public sealed class NestedFieldStepsTests
{
    private static AddFieldsStep RiskFields => EngineHarness.Migrations.Migrations.Single(m => m.Version == EngineHarness.V("1.3.0")).Steps
        .OfType<AddFieldsStep>().Single(step => step.CollectionName == "positions");

    [Fact]
    public void The_up_says_it_creates_metadata_where_missing_and_leaves_documents_whose_metadata_is_not_an_object()
    {
        Assert.Equal(
            "add metadata.var_contribution, metadata.correlation_score, metadata.concentration_risk with defaults to positions where missing, " +
            "creating metadata where missing and leaving documents whose metadata is not an object", RiskFields.Description);
    }

    [Fact]
    public void The_derived_down_takes_back_the_defaults_and_the_metadata_the_up_created()
    {
        var down = Assert.IsType<RemoveFieldsStep>(RiskFields.Inverse(SchemaCatalog.Empty));

        Assert.True(down.OnlyWhereDefault);
        Assert.Equal(RiskFields.Defaults, down.Fields);
        Assert.Equal(
            "remove metadata.var_contribution, metadata.correlation_score, metadata.concentration_risk from positions where they still hold their defaults, " +
            "and metadata where the addition created it and it is empty again", down.Description);
    }

    [Fact]
    public void A_plain_removal_takes_back_no_parent()
    {
        var remove = new RemoveFieldsStep("positions", BsonDocument.Parse("{ 'metadata.legacy': '' }"));

        Assert.Equal("remove metadata.legacy from positions", remove.Description);
    }

    [Fact]
    public void A_step_adding_a_parent_and_a_field_inside_it_is_refused_when_the_migration_is_built()
    {
        var error = Assert.Throws<ArgumentException>(() => new AddFieldsStep("positions", BsonDocument.Parse("{ metadata: {}, 'metadata.score': 0.0 }")));

        Assert.Contains("'metadata' is also the parent of metadata.score", error.Message);
    }
}
