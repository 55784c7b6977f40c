using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Fixes;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Components.Runs;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Fixes;

/// <summary>The Fixes page (each fix, its plan and its journal on every target, "Prepare fix run") and the fix panel of a fix run's page.</summary>
public sealed class FixesPageTests : RunsPageContext
{
    private const string TradesFix = "2026-12-02-trades-missing-status";

    private RegisteredFix Fix => FixRegistry.FromAssembly(typeof(Migration).Assembly).Get(TradesFix);

    private async Task DevAt100Async() =>
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(Portal.Targets.Get("dev"), "1.0.0", cancellationToken: Token)).Succeeded);

    private async Task LowerAsync(TestPerson person, Role role) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(person.Name, Token))! with { Role = role }, Token);

    [Fact]
    public void The_page_lists_each_fix_with_its_checksum_plan_and_journal_per_target_and_offers_an_Operator_to_prepare_a_run()
    {
        SignIn(Olga);

        var page = RenderPage<FixesPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll($"[data-testid=fix-{TradesFix}]")), Patience);
        Assert.Equal(Fix.ShortChecksum, page.Find("[data-testid=fix-checksum]").TextContent);
        Assert.Contains("{ $set: { \"status\" : \"PENDING\" } }", page.Find("[data-testid=fix-mongosh]").TextContent);
        Assert.Contains("never applied", TextOf(page.Find("[data-testid=fix-journal-dev]")));
        Assert.Single(page.FindAll("[data-testid=prepare-fix-dev]"));
        Assert.Empty(page.FindAll("[data-testid=prepare-undo-dev]"));
        Assert.Single(page.FindAll("h1"));
    }

    [Fact]
    public void A_Viewer_sees_the_fixes_and_no_action()
    {
        SignIn(Victor);

        var page = RenderPage<FixesPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll($"[data-testid=fix-{TradesFix}]")), Patience);
        Assert.Empty(page.FindAll("[data-testid^=prepare-]"));
    }

    [Fact]
    public async Task Prepare_fix_run_creates_the_run_and_opens_its_page()
    {
        await DevAt100Async();
        SignIn(Olga);
        var page = RenderPage<FixesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=prepare-fix-dev]")), Patience);

        await page.Find("[data-testid=prepare-fix-dev]").ClickAsync(new());

        var run = await Portal.Store.LatestForTargetAsync("dev", Token);
        Assert.NotNull(run);
        Assert.Equal((RunKind.Fix, TradesFix), (run.Kind, run.Fix!.Id));
        page.WaitForAssertion(() => Assert.Equal($"http://localhost/runs/{run.Id}", Navigation.Uri), Patience);
    }

    [Fact]
    public async Task Prepare_fix_run_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        await DevAt100Async();
        SignIn(Olga);
        var page = RenderPage<FixesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=prepare-fix-dev]")), Patience);
        await LowerAsync(Olga, Role.Viewer);

        await page.Find("[data-testid=prepare-fix-dev]").ClickAsync(new());

        WaitForSnackbar("olga (Viewer) may not prepare fix runs");
        Assert.Null(await Portal.Store.LatestForTargetAsync("dev", Token));
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused);
        Assert.Equal("olga", refused.User);
        Assert.StartsWith($"tried to prepare a run of fix {TradesFix} on dev", refused.Details);
        Assert.Equal("http://localhost/", Navigation.Uri);
    }

    [Fact]
    public async Task The_page_of_a_succeeded_fix_run_shows_the_fix_and_offers_its_undo()
    {
        await DevAt100Async();
        ((SandboxMigrationTarget)Portal.Targets.Get("dev")).SimulateDocumentsNeedingFix(TradesFix, 12);
        var run = await Portal.ReadyForApprovalAsync(await Portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo: false, Token));
        run = await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await Portal.ExecuteAsync(await Portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token));
        Assert.Equal(RunState.Succeeded, run.State);
        SignIn(Olga);

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=prepare-fix-undo]")), Patience);
        Assert.Contains($"Fix {TradesFix}", page.Find("[data-testid=fix-run]").TextContent);
        Assert.Contains("1.0.0 (a data fix never changes it)", page.Find("[data-testid=versions]").TextContent);
        Assert.Contains("applied", TextOf(page.Find("[data-testid=fix-journal]")));

        await page.Find("[data-testid=prepare-fix-undo]").ClickAsync(new());

        var undo = await Portal.Store.LatestForTargetAsync("dev", Token);
        Assert.Equal((RunKind.FixUndo, TradesFix), (undo!.Kind, undo.Fix!.Id));
        page.WaitForAssertion(() => Assert.Equal($"http://localhost/runs/{undo.Id}", Navigation.Uri), Patience);
    }

    [Fact]
    public async Task The_page_of_a_prepared_fix_run_shows_its_shorter_checklist_and_no_undo_yet()
    {
        await DevAt100Async();
        var run = await Portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo: false, Token);
        SignIn(Olga);

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=fix-panel]")), Patience);
        Assert.Equal(TradesFix, page.Find("[data-testid=fix-id]").TextContent);
        Assert.Contains("never applied", TextOf(page.Find("[data-testid=fix-journal]")));
        Assert.Empty(page.FindAll("[data-testid=prepare-fix-undo]"));
        Assert.Contains("Fix source unchanged since the run was created (checksum)", page.Markup);
        Assert.DoesNotContain("Checked current schema version", page.Markup);
    }
}
