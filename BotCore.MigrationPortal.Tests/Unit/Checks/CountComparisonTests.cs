using BotCore.MigrationPortal.Checks.Post;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>Document counts before and after a run: fewer fails, more is shown, dropped by the plan is expected.</summary>
public sealed class CountComparisonTests
{
    private static readonly Engine.Catalog.SchemaCatalog At130 = EngineHarness.Migrations.ExpectedCatalogAt(EngineHarness.V("1.3.0"));
    private static readonly Engine.Catalog.SchemaCatalog At120 = EngineHarness.Migrations.ExpectedCatalogAt(EngineHarness.V("1.2.0"));
    private static readonly IReadOnlySet<string> Application = EngineHarness.Migrations.ApplicationOwnedCollections;

    [Fact]
    public void Equal_and_larger_counts_pass_and_show_the_change()
    {
        var finding = CountComparison.Compare(Counts(("positions", 3), ("users", 10)), Counts(("positions", 3), ("users", 12), ("risk_metrics", 0)), At130, Application);

        Assert.True(finding.Passed);
        Assert.Equal(["positions: 3 → 3", "risk_metrics: did not exist → 0", "users: 10 → 12 (+2)"], finding.Evidence);
    }

    [Fact]
    public void Fewer_documents_after_the_run_fail_and_a_ttl_index_is_pointed_out()
    {
        var finding = CountComparison.Compare(Counts(("positions", 3), ("trades", 15)), Counts(("positions", 2), ("trades", 14)), At130, Application);

        Assert.False(finding.Passed);
        Assert.StartsWith("2 collections have fewer documents", finding.Summary);
        Assert.Equal("positions: 3 → 2 (-1)", finding.Evidence[0]);
        Assert.Equal("trades: 15 → 14 (-1) (it has a TTL index, which deletes expired documents at any time)", finding.Evidence[1]);
    }

    [Fact]
    public void A_collection_the_plan_drops_may_be_gone_but_one_it_keeps_or_the_applications_may_not()
    {
        var dropped = CountComparison.Compare(Counts(("risk_metrics", 4), ("positions", 3)), Counts(("positions", 3)), At120, Application);
        var lost = CountComparison.Compare(Counts(("positions", 3), ("users", 2)), Counts(), At120, Application);

        Assert.True(dropped.Passed);
        Assert.Contains("risk_metrics: 4 → dropped by the plan", dropped.Evidence);
        Assert.False(lost.Passed);
        Assert.Equal(["positions: 3 → missing", "users: 2 → missing"], lost.Evidence);
    }

    private static Dictionary<string, long> Counts(params (string Name, long Documents)[] counts) =>
        counts.ToDictionary(c => c.Name, c => c.Documents);
}
