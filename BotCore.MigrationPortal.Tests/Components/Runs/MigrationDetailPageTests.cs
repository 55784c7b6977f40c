using BotCore.MigrationPortal.Components.Pages.Migrations;
using Bunit;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

public sealed class MigrationDetailPageTests : RunsPageContext
{
    private IRenderedComponent<MigrationDetail> RenderMigration(string version) => RenderPage<MigrationDetail>(p => p.Add(x => x.Version, version));

    /// <summary>The step descriptions of the two step tables: up first, then the derived down.</summary>
    private static (IReadOnlyList<string> Up, IReadOnlyList<string> Down) StepsOf(IRenderedComponent<MigrationDetail> page)
    {
        var tables = page.FindComponents<StepTable>().Select(table => RowsOf(table.Find("table")).Select(row => row[1]).ToList()).ToList();
        Assert.Equal(2, tables.Count);
        return (tables[0], tables[1]);
    }

    [Fact]
    public void A_migration_shows_its_steps_up_and_the_derived_rollback_in_reverse_order()
    {
        var page = RenderMigration("1.1.0");

        Assert.Equal("1.1.0: Paper trading support", TextOf(page.Find("h1")));
        var (up, down) = StepsOf(page);
        Assert.Equal(7, up.Count);
        Assert.StartsWith("create collection paper_trading_accounts", up[0]);
        Assert.Equal("create one paper trading account per existing user (upsert by user_id, in batches)", up[^1]);
        Assert.Equal(up.Count, down.Count);
        Assert.Equal("delete the paper trading accounts that never traded (as 1.1.0 creates them)", down[0]);
        Assert.StartsWith("drop collection paper_trading_accounts", down[^1]);
    }

    [Fact]
    public void The_data_step_is_described_as_batches_without_catalog_changes()
    {
        var page = RenderMigration("1.1.0");

        var upRows = RowsOf(page.FindComponents<StepTable>()[0].Find("table"));
        Assert.Equal(["7", "Data", "documents, in batches (the catalog is unchanged)"], [upRows[^1][0], upRows[^1][2], upRows[^1][3]]);
        Assert.Equal("Schema", upRows[0][2]);
        Assert.Contains("paper_trading_accounts", upRows[0][3]);
    }

    [Fact]
    public void Each_step_says_whether_its_writes_commit_in_a_transaction()
    {
        var page = RenderMigration("1.1.0");

        var upRows = RowsOf(page.FindComponents<StepTable>()[0].Find("table"));
        Assert.StartsWith("no: ", upRows[0][4]);
        Assert.StartsWith("yes on a replica set or sharded cluster", upRows[^1][4]);
        Assert.EndsWith("no on a standalone server", upRows[^1][4]);
    }

    [Fact]
    public void The_authoring_checks_show_the_specs_two_findings_of_1_2_0_with_the_reasons_they_stay()
    {
        var page = RenderMigration("1.2.0");

        Assert.Equal("2 kept on purpose, with the migration's reason.", TextOf(page.Find("[data-testid=authoring-summary]")));
        var ttl = TextOf(page.Find("[data-testid=authoring-finding-ai_analysis_results-idx_ai_analysis_ttl]"));
        Assert.Contains("TTL index on a field that is not a required date", ttl);
        Assert.Contains("Why it stays: The spec's 1.2.0 as applied to Bot Core's database", ttl);
        var unique = TextOf(page.Find("[data-testid=authoring-finding-ai_signals-idx_ai_signals_id_unique]"));
        Assert.Contains("Suggested: Require signal_id in the validator, or make the index partial", unique);
    }

    [Fact]
    public void A_migration_without_authoring_findings_says_so() =>
        Assert.Contains("No findings", TextOf(RenderMigration("1.3.0").Find("[data-testid=authoring-clean]")));

    [Fact]
    public void An_authoring_note_is_shown_without_counting_as_a_warning()
    {
        var initial = RenderMigration("1.0.0");
        Assert.Equal("1 note.", TextOf(initial.Find("[data-testid=authoring-summary]")));
        Assert.Contains("does not declare a date", TextOf(initial.Find("[data-testid=authoring-finding-trades-idx_trades_ttl]")));
    }

    [Theory]
    [InlineData("9.9.9")]
    [InlineData("not-a-version")]
    public void An_unknown_version_names_the_versions_of_this_build(string version)
    {
        var page = RenderMigration(version);

        Assert.Equal($"There is no migration {version} in this build. Known: 1.0.0, 1.1.0, 1.2.0, 1.3.0.", TextOf(page.Find(".mud-alert")));
        Assert.Empty(page.FindComponents<StepTable>());
    }
}
