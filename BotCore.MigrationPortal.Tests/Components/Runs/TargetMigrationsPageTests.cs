using BotCore.MigrationPortal.Components.Pages.Targets;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

public sealed class TargetMigrationsPageTests : RunsPageContext
{
    private IRenderedComponent<TargetMigrations> RenderTarget(string name = "dev")
    {
        var page = RenderPage<TargetMigrations>(p => p.Add(x => x.Name, name));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Patience);
        return page;
    }

    private async Task MigrateDevToAsync(string version) =>
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(Portal.Targets.Get("dev"), version, cancellationToken: Token)).Succeeded);

    private static IReadOnlyList<(string Version, string State)> VersionsAndStates(IRenderedComponent<TargetMigrations> page) =>
        RowsOf(page.Find("[data-testid=migrations]")).Select(row => (row[0], row[2])).ToList();

    private static IEnumerable<AngleSharp.Dom.IElement> RollbackButtons(IRenderedComponent<TargetMigrations> page) => page.FindAll("[data-testid=roll-back]");

    [Fact]
    public void A_new_target_lists_every_migration_as_pending()
    {
        var page = RenderTarget();

        Assert.Equal([("1.0.0", "pending"), ("1.1.0", "pending"), ("1.2.0", "pending"), ("1.3.0", "pending")], VersionsAndStates(page));
        Assert.Contains("Development target at 0.0.0", TextOf(page.Find("p")));
        Assert.Empty(RollbackButtons(page));
    }

    [Fact]
    public async Task A_migrated_target_shows_what_is_applied_and_offers_an_Operator_to_roll_back_its_version()
    {
        await MigrateDevToAsync("1.2.0");

        var page = RenderTarget();

        Assert.Equal([("1.0.0", "applied"), ("1.1.0", "applied"), ("1.2.0", "applied"), ("1.3.0", "pending")], VersionsAndStates(page));
        Assert.Equal("Roll back…", TextOf(Assert.Single(RollbackButtons(page))));
    }

    [Fact]
    public async Task A_Viewer_is_not_offered_the_rollback()
    {
        await MigrateDevToAsync("1.2.0");
        SignIn(Victor);

        var page = RenderTarget();

        Assert.Equal("applied", VersionsAndStates(page)[2].State);
        Assert.Empty(RollbackButtons(page));
        Assert.DoesNotContain(page.FindAll("a"), a => TextOf(a) == "New run");
    }

    [Fact]
    public async Task Rolling_back_shows_what_it_undoes_and_what_is_lost_then_creates_the_rollback_run_and_opens_it()
    {
        await MigrateDevToAsync("1.2.0");
        var page = RenderTarget();

        // The click's handler waits for the dialog's answer: awaited after the dialog is confirmed.
        var click = page.Find("[data-testid=roll-back]").ClickAsync(new());

        var steps = Dialogs.WaitForElement("[data-testid=rollback-steps]", Patience);
        Assert.All(steps.QuerySelectorAll("li"), step => Assert.StartsWith("1.2.0 down: ", TextOf(step)));
        Assert.Contains("every document of ai_analysis_results (1.2.0 down)", TextOf(Dialogs.Find("[data-testid=rollback-data-at-risk]")));
        Assert.Contains("Documented rollback reason", TextOf(Dialogs.Find("[data-testid=rollback-checklist]")));
        Assert.Equal("Create rollback run to 1.1.0", TextOf(Dialogs.Find("[data-testid=rollback-confirm]")));
        await Dialogs.Find("[data-testid=rollback-confirm]").ClickAsync(new());
        await click;

        var run = Assert.Single((await Portal.Store.QueryAsync(new(), Token)).Runs);
        Assert.Equal((RunKind.Rollback, "dev", "1.2.0", "1.1.0", "olga"), (run.Kind, run.Target, run.From.ToString(), run.To.ToString(), run.RequestedBy));
        page.WaitForAssertion(() => Assert.Equal($"http://localhost/runs/{run.Id}", Navigation.Uri), Patience);
    }

    [Fact]
    public void An_unknown_target_is_reported_with_the_configured_ones()
    {
        var page = RenderPage<TargetMigrations>(p => p.Add(x => x.Name, "nowhere"));

        page.WaitForAssertion(() => Assert.Contains("There is no target 'nowhere'. Configured targets: dev, staging, legacy, production.",
            page.Find("[data-testid=problem]").TextContent), Patience);
        Assert.Empty(page.FindAll("[data-testid=migrations]"));
        Assert.Empty(page.FindAll(".mud-progress-linear"));
    }
}
