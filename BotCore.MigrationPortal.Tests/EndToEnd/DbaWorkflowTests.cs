using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// The whole DBA workflow in a real browser against the real portal in sandbox mode. Each page is saved to
/// docs/screenshots/ on the way, as the README shows them.
/// </summary>
public sealed class DbaWorkflowTests(SandboxPortal portal, Browser browser) : IClassFixture<SandboxPortal>, IClassFixture<Browser>
{
    [Fact]
    public async Task A_migration_goes_through_checklist_approval_live_run_validation_and_rollback_and_the_audit_log_holds_it_all()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga");
        await olga.GotoAsync("/", "[data-testid=target-dev]");
        await olga.ScreenshotAsync("01-dashboard");

        // Operator A creates a run 0.0.0 → 1.2.0 (the last released version) on dev; the automated pre-checks run at once.
        await olga.GotoAsync("runs/new?target=dev", "[data-testid=create-run]");
        Assert.Equal("0.0.0", await olga.Page.Locator("[data-testid=current-version]").InnerTextAsync());
        await olga.ScreenshotAsync("02-new-run");
        await olga.Page.Locator("[data-testid=create-run]").ClickAsync();
        await olga.Page.WaitForURLAsync("**/runs/run-*");
        var runUrl = new Uri(olga.Page.Url).AbsolutePath;
        await olga.WaitForStateAsync("Pre-checks");
        Assert.Contains("0.0.0 → 1.2.0", await olga.Page.Locator("[data-testid=versions]").InnerTextAsync());
        await olga.ScreenshotAsync("03-run-pre-checks");

        // A ticks the manual items and requests approval; A cannot approve.
        await olga.TickAsync("pre.performance", "Reviewed: batches of 1,000 with 100 ms pauses");
        await olga.TickAsync("pre.notify", "Announced in #botcore-ops");
        await olga.BackUpAsync();
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");
        Assert.False(await olga.HasButtonAsync("Approve"));
        Assert.False(await olga.HasButtonAsync("Approve and run"));

        // Approver B finds the run waiting for him and sends it back with a reason; A answers with a comment and asks again.
        var runId = runUrl.Split('/')[^1];
        await using var bob = await DbaSession.SignInAsync(browser, portal, "bob");
        await bob.GotoAsync("inbox", $"[data-testid='inbox-run-{runId}']");
        Assert.StartsWith("1", await bob.Page.Locator("[data-testid=inbox-badge]").InnerTextAsync());
        await bob.ScreenshotAsync("23-waiting-for-me");
        await bob.Page.Locator($"[data-testid='inbox-run-{runId}']").ClickAsync();
        await bob.Page.WaitForSelectorAsync("[data-testid=run-state]");
        await bob.AnswerAsync("Send back", "Say how long the 1.2.0 indexes take to build on staging-sized data");
        await olga.WaitForStateAsync("Pre-checks");
        Assert.Contains("Say how long the 1.2.0 indexes take", await olga.Page.Locator("[data-testid=sent-back]").InnerTextAsync());
        await olga.Page.Locator("[data-testid=comment-text]").FillAsync("Measured on staging's copy: 4 s for both indexes, built without blocking writes");
        await olga.Page.Locator("[data-testid=comment-post]").ClickAsync();
        await olga.Page.Locator("[data-testid=run-history]").GetByText("4 s for both indexes").WaitForAsync();
        await olga.ScreenshotAsync("24-sent-back-and-commented");
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");

        // Approver B approves and runs; A's page follows the run live.
        await bob.GotoAsync(runUrl, "[data-testid=run-state]");
        await bob.ClickAsync("Approve and run");
        await olga.WaitForStateAsync("Running");
        await olga.Page.Locator("[data-testid=event-log]").GetByText("done (simulated)").First.WaitForAsync();
        Assert.Equal("Running", await olga.StateAsync());
        await olga.ScreenshotAsync("04-run-live-progress");

        // Validation passes for every managed collection.
        await olga.WaitForStateAsync("Succeeded");
        var validation = olga.Page.Locator("[data-testid=validation] tbody tr");
        Assert.Equal(8, await validation.CountAsync());
        Assert.Equal(8, await validation.GetByText("passed", new LocatorGetByTextOptions { Exact = true }).CountAsync());
        Assert.Contains("approved by bob", await olga.Page.Locator("[data-testid=approval]").InnerTextAsync());
        await olga.ScreenshotAsync("05-run-succeeded");

        // A rolls back to 1.1.0: a rollback run with the Rollback checklist, approved by B again.
        await olga.RollBackAsync(to: "1.1.0", screenshot: "27-rollback-dialog");
        await olga.Page.WaitForURLAsync(url => url.Contains("/runs/run-") && !url.EndsWith(runUrl, StringComparison.Ordinal));
        await olga.WaitForStateAsync("Pre-checks");
        Assert.Contains("1.2.0 → 1.1.0", await olga.Page.Locator("[data-testid=versions]").InnerTextAsync());
        await olga.TickAsync("rollback.stopped", "Trading bots paused");
        await olga.TickAsync("rollback.reason", "Risk metrics must wait for the reporting team");
        await olga.BackUpAsync();
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");
        // B approves it and schedules it into the maintenance window: the next minute but one (the picker takes whole minutes).
        await bob.GotoAsync(new Uri(olga.Page.Url).AbsolutePath, "[data-testid=run-state]");
        await bob.ClickAsync("Approve");
        await bob.WaitForStateAsync("Approved");
        await bob.Page.Locator("[data-testid=schedule]").ClickAsync();
        var now = DateTime.UtcNow.AddMinutes(2);
        var at = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
        await bob.Page.Locator("input[data-testid=schedule-at]").FillAsync(at.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await bob.Page.Locator("[data-testid=schedule-confirm]").ClickAsync();
        Assert.Contains($"Scheduled for {at:yyyy-MM-dd HH:mm}", await bob.Page.Locator("[data-testid=run-schedule]").InnerTextAsync());
        await bob.ScreenshotAsync("26-scheduled-rollback");
        await olga.WaitForStateAsync("Succeeded", TimeSpan.FromMinutes(3));
        await olga.ScreenshotAsync("06-rollback-run");
        await olga.GotoAsync("/", "[data-testid=target-dev]");
        Assert.Equal("1.1.0", await olga.Page.Locator("[data-testid=target-dev] [data-testid=applied-version]").InnerTextAsync());

        // The audit log lists all of it and its hash chain verifies.
        var export = await olga.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv");
        Assert.Equal(200, export.Status);
        var audit = await export.TextAsync();
        foreach (var action in new[] { "sign-in", "run-created", "pre-checks-run", "checklist-ticked", "backup-requested", "backup-created", "backup-verified", "approval-requested", "run-sent-back", "run-commented", "approved", "run-scheduled", "scheduled-start", "run-queued", "run-state-changed", "rollback-created" })
        {
            Assert.Contains($",{action},", audit);
        }
        Assert.Contains(",bob,Approver,approved,", audit);
        await olga.GotoAsync("audit", "[data-testid=audit-grid] tbody tr td");
        await olga.Page.Locator("[data-testid=verify-chain]").ClickAsync();
        Assert.Contains("intact", await olga.Page.Locator("[data-testid=verify-result]").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await olga.ScreenshotAsync("07-audit-log");

        await olga.GotoAsync("runs", "[data-testid=runs] tbody tr");
        // The run and its rollback on dev (the phone pass of this class may have added one on staging).
        Assert.Equal(2, await olga.Page.Locator("[data-testid=runs] tbody td[data-label=Target]").Filter(new LocatorFilterOptions { HasTextRegex = new Regex(@"^\s*dev\b") }).CountAsync());
        await olga.ScreenshotAsync("08-runs");
        await olga.GotoAsync("targets/dev", "[data-testid=migrations]");
        await olga.ScreenshotAsync("09-target-migrations");
        await olga.GotoAsync("migrations/1.3.0", "text=Steps (up)");
        await olga.ScreenshotAsync("10-migration-detail");
        await olga.GotoAsync("backups", "text=Backups");
        Assert.True(await olga.Page.GetByText("verified", new PageGetByTextOptions { Exact = false }).CountAsync() > 0);
        await olga.ScreenshotAsync("14-backups");
        await olga.GotoAsync("checks?target=dev", "[data-testid=run-all-post]");
        await olga.Page.Locator("[data-testid=run-all-post]").ClickAsync();
        await olga.Page.Locator("[data-testid=post-tally]").Filter(new LocatorFilterOptions { HasText = "passed" }).WaitForAsync();
        await olga.ScreenshotAsync("15-integrity-checks");

        // A Viewer sees everything but can act on nothing.
        await using var victor = await DbaSession.SignInAsync(browser, portal, "victor");
        await victor.GotoAsync(runUrl, "[data-testid=run-state]");
        Assert.Equal(0, await victor.Page.Locator("[data-testid=actions] button").CountAsync());
        Assert.Equal(0, await victor.Page.Locator("[data-testid^=tick-]").CountAsync());
        await victor.ScreenshotAsync("11-run-as-viewer");
        await victor.GotoAsync("/", "[data-testid=target-dev]");
        Assert.False(await victor.HasButtonAsync("New run"));
    }

    [Fact]
    public async Task The_sign_in_page_the_users_page_and_the_job_dashboard_are_where_an_Admin_expects_them()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var anonymous = await context.NewPageAsync();
        await anonymous.GotoAsync($"{portal.BaseUrl}/runs");
        Assert.Contains("/signin", anonymous.Url);
        await anonymous.Locator("[data-testid=demo-users]").WaitForAsync();
        await new DbaSession(anonymous, portal.BaseUrl).ScreenshotAsync("00-sign-in");
        await context.CloseAsync();

        await using var ada = await DbaSession.SignInAsync(browser, portal, "ada");
        await ada.GotoAsync("users", "[data-testid=users-table]");
        foreach (var user in new[] { "ada", "alice", "bob", "olga", "victor" })
        {
            Assert.Equal(1, await ada.Page.Locator($"[data-testid=user-{user}]").CountAsync());
        }
        await ada.ScreenshotAsync("12-users");
        var missing = await ada.Page.GotoAsync($"{portal.BaseUrl}/no-such-page");
        Assert.Equal(404, missing!.Status);
        Assert.Contains("No page at /no-such-page", await ada.Page.Locator("[data-testid=not-found]").InnerTextAsync());
        await ada.ScreenshotAsync("25-not-found");
        await ada.Page.GotoAsync($"{portal.BaseUrl}/hangfire");
        await ada.Page.GetByText("BotCore migration jobs").First.WaitForAsync();
        await ada.ScreenshotAsync("13-hangfire-dashboard", portalPage: false);

        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga");
        var refused = await olga.Page.APIRequest.GetAsync($"{portal.BaseUrl}/hangfire", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Contains(refused.Status, new[] { 302, 403 });
    }

    [Fact]
    public async Task On_a_390_px_phone_every_page_fits_the_window_and_the_account_menu_holds_sign_out()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga", window: DbaSession.Phone);
        await olga.GotoAsync("/", "[data-testid=target-staging]");
        await PhonePageAsync(olga, "phone-01-dashboard");

        // The name and both sign-outs fold into the account menu.
        Assert.False(await olga.Page.Locator("[data-testid=signed-in-user]").IsVisibleAsync());
        await olga.Page.Locator("[data-testid=account-button]").ClickAsync();
        var menu = olga.Page.Locator(".mud-popover-open[data-testid=account-menu]");
        await menu.Locator("[data-testid=sign-out]").WaitForAsync();
        Assert.Contains("olga · Operator", await menu.InnerTextAsync());
        Assert.Equal(1, await menu.Locator("[data-testid=sign-out-everywhere]").CountAsync());
        await olga.ScreenshotAsync("phone-02-account-menu", fullPage: false);
        await olga.Page.Locator("[data-testid=account-button]").ClickAsync();

        // Staging: the other tests of this class use dev.
        await olga.GotoAsync("runs/new?target=staging", "[data-testid=create-run]");
        await PhonePageAsync(olga, "phone-03-new-run");
        await olga.Page.Locator("[data-testid=create-run]").ClickAsync();
        await olga.Page.WaitForURLAsync("**/runs/run-*");
        await olga.WaitForStateAsync("Pre-checks");
        await PhonePageAsync(olga, "phone-04-run");

        await olga.GotoAsync("runs", "[data-testid=runs] tbody tr");
        await PhonePageAsync(olga, "phone-05-runs");
        await olga.GotoAsync("audit", "[data-testid=audit-grid]");
        await PhonePageAsync(olga, "phone-06-audit-log");
    }

    private static async Task PhonePageAsync(DbaSession session, string name)
    {
        await session.AssertFitsWindowAsync(name);
        await session.ScreenshotAsync(name);
    }
}
