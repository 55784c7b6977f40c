using BotCore.MigrationPortal.Components.Pages.Migrations;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Components.Migrations;

/// <summary>The migration page of the expand-contract example shows each migration's phase, the other half and what gates the contract.</summary>
public sealed class MigrationPhasesPanelTests : PortalPageContext
{
    public MigrationPhasesPanelTests() : base(new Dictionary<string, string?> { ["Migrations:ExpandContract:SoakHours"] = "36" }) =>
        Services.AddSingleton(ExpandContractExamples.Registry);

    private IRenderedComponent<MigrationDetail> RenderMigration(string version) => RenderPage<MigrationDetail>(p => p.Add(x => x.Version, version));

    [Fact]
    public void The_expand_names_its_change_and_its_contract_with_the_configured_soak()
    {
        var page = RenderMigration(ExpandContractExamples.Expand);

        Assert.Equal("Expand-contract phase", TextOf(page.FindAll("h2")[0]));
        Assert.Equal("Expand phase of 'rename trades.qty to trades.quantity' (trades.qty → trades.quantity) — contract: 1.5.0, after a soak of 36 h.",
            TextOf(page.Find("[data-testid=migration-phase]")));
        Assert.Equal("/migrations/1.5.0", page.Find("[data-testid=migration-phase-other]").GetAttribute("href"));
    }

    [Fact]
    public void The_contract_names_its_expand_and_what_gates_it()
    {
        var page = RenderMigration(ExpandContractExamples.Contract);

        Assert.Equal("Contract phase of 'rename trades.qty to trades.quantity' (trades.qty → trades.quantity) — follows expand 1.4.0; gated by: " +
            "expand 1.4.0 applied on the target; no document of trades lacks quantity; soak 36 h since the expand was applied on that target.",
            TextOf(page.Find("[data-testid=migration-phase]")));
        Assert.Equal("/migrations/1.4.0", page.Find("[data-testid=migration-phase-other]").GetAttribute("href"));
        // The contract's steps and its rollback, which copies quantity back into qty.
        Assert.Contains("remove qty from trades where quantity exists", page.Markup);
        Assert.Contains("copy quantity into qty in trades where qty is missing and quantity exists", page.Markup);
    }

    [Fact]
    public void A_migration_without_a_phase_shows_no_phase_section()
    {
        var page = RenderMigration("1.1.0");

        Assert.Empty(page.FindAll("[data-testid=migration-phase]"));
        Assert.DoesNotContain("Expand-contract phase", page.Markup);
    }
}
