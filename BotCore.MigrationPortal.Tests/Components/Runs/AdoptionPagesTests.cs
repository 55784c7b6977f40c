using BotCore.MigrationPortal.Components.Pages;
using BotCore.MigrationPortal.Components.Pages.Adoption;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// The page parts of adoption and drafts: the legacy card sends to adoption, the adoption page compares and creates the run
/// (only for an Admin), the run page shows what is adopted and why, and a Production run to a draft offers an Admin the release.
/// </summary>
public sealed class AdoptionPagesTests : RunsPageContext
{
    [Fact]
    public void The_dashboard_says_legacy_is_not_adopted_and_offers_an_Admin_to_adopt_it()
    {
        SignIn(Ada);

        var page = RenderPage<Dashboard>();

        page.WaitForAssertion(() => Assert.Contains("system_config holds 2 DATABASE_SCHEMA_VERSION documents", TextOf(page.Find("[data-testid=target-legacy] [data-testid=not-adopted]"))), Patience);
        var adopt = page.Find("[data-testid=target-legacy] [data-testid=adopt-link]");
        Assert.Equal(("targets/legacy/adopt", "Adopt"), (adopt.GetAttribute("href"), TextOf(adopt)));
        Assert.Empty(page.FindAll("[data-testid=target-legacy] [data-testid=applied-version]"));
        Assert.Empty(page.FindAll("[data-testid=target-dev] [data-testid=adopt-link]"));
    }

    [Fact]
    public void The_adoption_page_compares_every_version_proposes_1_2_0_and_names_the_documents()
    {
        SignIn(Ada);

        var page = RenderPage<AdoptTarget>(p => p.Add(x => x.Name, "legacy"));

        page.WaitForAssertion(() => Assert.Contains("Proposed: 1.2.0", TextOf(page.Find("[data-testid=proposal]"))), Patience);
        Assert.Equal(["far", "far", "matches", "far"], new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0" }.Select(v => TextOf(page.Find($"[data-testid=\"fit-{v}\"]"))));
        Assert.Contains("deletes 1 other", TextOf(page.Find("[data-testid=proposal]")));
        Assert.Equal(2, page.FindAll("[data-testid=version-documents] li").Count);
        Assert.Contains("portfolio_snapshots", TextOf(page.Find("[data-testid=comparison]")));
        Assert.Single(page.FindAll("[data-testid=adopt-form]"));
    }

    [Fact]
    public void An_Operator_sees_the_comparison_but_no_form()
    {
        var page = RenderPage<AdoptTarget>(p => p.Add(x => x.Name, "legacy"));

        page.WaitForAssertion(() => Assert.Contains("Only an Admin adopts a database.", TextOf(page.Find("[data-testid=adopt-who]"))), Patience);
        Assert.Empty(page.FindAll("[data-testid=adopt-form]"));
    }

    [Fact]
    public async Task Creating_the_adoption_needs_a_written_reason_and_opens_the_run_which_shows_what_it_adopts_and_why()
    {
        SignIn(Ada);
        var page = RenderPage<AdoptTarget>(p => p.Add(x => x.Name, "legacy"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=adopt]")), Patience);

        await page.Find("[data-testid=adopt]").ClickAsync(new());
        WaitForSnackbar("Write down why for an adoption");
        Assert.Null(await Portal.Store.LatestForTargetAsync("legacy", Token));

        await page.Find("textarea[data-testid=adopt-reason]").ChangeAsync(new() { Value = "built by the spec's scripts 1.0.0-1.2.0" });
        await page.Find("[data-testid=adopt]").ClickAsync(new());

        var run = (await Portal.Store.LatestForTargetAsync("legacy", Token))!;
        Assert.Equal((RunKind.Baseline, "1.2.0"), (run.Kind, run.To.ToString()));
        Assert.Equal($"http://localhost/runs/{run.Id}", Navigation.Uri);
        var detail = Render<RunDetail>(p => p.Add(x => x.Id, run.Id));
        detail.WaitForAssertion(() => Assert.Contains("1.2.0", TextOf(detail.Find("[data-testid=versions]"))), Patience);
        Assert.Equal("“built by the spec's scripts 1.0.0-1.2.0”", TextOf(detail.Find("[data-testid=adoption-reason]")));
        Assert.Contains("Adoption", TextOf(detail.Find("[data-testid=adoption]")));
        Assert.Contains("Request approval", TextOf(detail.Find("[data-testid=actions]")));
        Assert.DoesNotContain("Back up now", TextOf(detail.Find("[data-testid=actions]")));
    }

    [Fact]
    public async Task A_Production_run_to_the_draft_shows_the_label_and_offers_an_Admin_the_release_which_it_then_shows()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "production", SchemaVersion.Parse("1.3.0"), Token);
        SignIn(Ada);

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=release-drafts]")), Patience);
        Assert.Equal("DRAFT", TextOf(page.Find("[data-testid=versions] [data-testid=draft]")));

        // The click that opens the dialog completes only once it is answered.
        var releasing = page.Find("[data-testid=release-drafts]").ClickAsync(new());
        var field = Dialogs.WaitForElement("textarea", Patience);
        await field.InputAsync(new() { Value = "signed off by the risk team, ticket RISK-42" });
        await Dialogs.Find("[data-testid=reason-confirm]").ClickAsync(new());
        await releasing;

        page.WaitForAssertion(() => Assert.Contains("RISK-42", TextOf(page.Find("[data-testid=draft-release]"))), Patience);
        Assert.Empty(page.FindAll("[data-testid=release-drafts]"));
    }
}
