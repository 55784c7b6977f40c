using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Tests.Unit.Steps;

/// <summary>Which parent paths a step's fields have, and which field lists a step refuses when the migration is built.</summary>
public sealed class ParentPathsTests
{
    [Fact]
    public void The_risk_fields_of_1_3_0_have_one_parent_metadata()
    {
        var parents = ParentPaths.Of(["metadata.var_contribution", "metadata.correlation_score", "metadata.concentration_risk"]);

        Assert.Equal(["metadata"], parents.Paths);
        Assert.Equal(["metadata"], parents.Roots);
        Assert.False(parents.IsEmpty);
    }

    [Fact]
    public void Top_level_fields_have_no_parents()
    {
        Assert.True(ParentPaths.Of(["var_95", "var_99", "expected_shortfall"]).IsEmpty);
    }

    [Fact]
    public void Deeper_paths_have_every_level_as_a_parent_shallowest_first_each_once()
    {
        var parents = ParentPaths.Of(["risk.limits.max", "risk.score", "audit.by", "risk.limits.min"]);

        Assert.Equal(["risk", "audit", "risk.limits"], parents.Paths);
        Assert.Equal(["risk", "audit"], parents.Roots);
    }

    [Theory]
    [InlineData("metadata", "metadata.score", "also the parent of metadata.score")]
    [InlineData("a.b", "a.b.c", "also the parent of a.b.c")]
    [InlineData("metadata..score", "fee", "has an empty part")]
    [InlineData(".score", "fee", "has an empty part")]
    [InlineData("metadata.$score", "fee", "starts with '$'")]
    public void A_field_list_a_step_could_not_add_exactly_is_refused(string first, string second, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ParentPaths.Of([first, second]));

        Assert.Contains(message, error.Message);
    }
}
