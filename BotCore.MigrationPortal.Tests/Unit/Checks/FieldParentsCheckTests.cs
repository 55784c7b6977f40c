using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>
/// The pre-migration check of the parents of nested fields: derived from each step that adds fields below a parent, blocking, and
/// against a simulated target it says it found no documents.
/// </summary>
public sealed class FieldParentsCheckTests
{
    private const string RiskFields = "pre.field-parents:1.3.0/up/4";

    [Fact]
    public void From_1_2_0_to_1_3_0_the_positions_metadata_is_checked_and_blocks_and_the_top_level_snapshot_fields_are_not()
    {
        var checks = Integrity().Describe(Plan("1.2.0", "1.3.0"));

        var parents = Assert.Single(checks, c => c.Id.StartsWith("pre.field-parents:", StringComparison.Ordinal));
        Assert.Equal(RiskFields, parents.Id);
        Assert.Equal(CheckSeverity.Blocking, parents.Severity);
        Assert.Equal(CheckPhase.PreMigration, parents.Phase);
        Assert.Equal("Parents of the fields step 1.3.0/up/4 adds are objects (positions)", parents.Name);
        Assert.StartsWith("Documents of positions whose metadata exists and is not an object", parents.Description);
    }

    [Fact]
    public void A_down_plan_adds_no_fields_so_it_has_no_parent_check()
    {
        Assert.Empty(Ids(Integrity().Describe(Plan("1.3.0", "1.2.0")), "pre.field-parents:"));
    }

    [Fact]
    public async Task Against_a_simulated_target_it_is_simulated_saying_there_are_no_documents()
    {
        var engine = new EngineHarness();
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: TestContext.Current.CancellationToken)).Succeeded);

        var result = await Integrity().RunOneAsync(RiskFields, target, Plan("1.2.0", "1.3.0"), TestContext.Current.CancellationToken);

        Assert.Equal(CheckOutcome.Simulated, result.Outcome);
        Assert.Equal(DatabaseCheck.NoDocuments, result.Summary);
    }
}
