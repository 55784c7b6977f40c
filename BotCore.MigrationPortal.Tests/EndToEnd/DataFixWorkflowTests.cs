namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// Issue 10's pages in the browser: the Data fixes page and a fix run prepared from it (its run page says the schema version does not
/// move), and the authoring checks on the page of the spec's 1.2.0 with the reasons its two findings stay. Each state is checked with
/// axe and saved.
/// </summary>
public sealed class DataFixWorkflowTests(SandboxPortal portal, Browser browser) : IClassFixture<SandboxPortal>, IClassFixture<Browser>
{
    private const string Fix = "2026-12-02-trades-missing-status";

    [Fact]
    public async Task An_Operator_reads_the_fixes_prepares_a_fix_run_and_reads_the_authoring_checks_of_a_migration()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga");
        await olga.GotoAsync("fixes", $"[data-testid=fix-{Fix}]");
        Assert.Contains("trades", await olga.Page.Locator($"[data-testid=fix-{Fix}]").InnerTextAsync());
        await olga.ScreenshotAsync("36-data-fixes");

        await olga.ClickToNavigateAsync(olga.Page.Locator("[data-testid=prepare-fix-dev]"), "**/runs/run-*");
        await olga.Page.Locator("[data-testid=fix-panel]").WaitForAsync();
        Assert.Contains($"Fix {Fix}", await olga.Page.Locator("[data-testid=fix-run]").InnerTextAsync());
        Assert.Equal("Pre-checks", await olga.StateAsync());
        // dev is at 0.0.0, where no migration has created trades yet: the run says so before anyone approves it.
        Assert.Contains("dev has no collection trades (it is at 0.0.0)", await olga.Page.Locator("tr", new() { HasText = "Counted the documents to change" }).InnerTextAsync());
        await olga.ScreenshotAsync("37-fix-run");

        await olga.GotoAsync("migrations/1.2.0", "[data-testid=authoring-summary]");
        Assert.Equal("2 kept on purpose, with the migration's reason.", (await olga.Page.Locator("[data-testid=authoring-summary]").InnerTextAsync()).Trim());
        Assert.Contains("partialFilterExpression", await olga.Page.Locator("[data-testid=authoring-finding-ai_signals-idx_ai_signals_id_unique]").InnerTextAsync());
        await olga.ScreenshotAsync("38-authoring-checks");
    }
}
