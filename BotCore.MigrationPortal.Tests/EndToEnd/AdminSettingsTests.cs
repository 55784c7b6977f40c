using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// What an Admin sets up for the team, in the browser: a notification channel (its secret masked once saved), and a production-like
/// rehearsal (a verified backup of Production restored into staging). The sandbox's production is empty and legacy cannot be backed up
/// before it is adopted, so no masking rule applies here: masked values are proven by the rehearsal tests on the sandbox backend
/// (RehearsalRestoreTests) and on MongoDB (MongoMaskingTests); here a rule on a collection the backup lacks is refused before anything is
/// restored. Its own portal, so that its targets are its own.
/// </summary>
public sealed class AdminSettingsTests(SandboxPortal portal, Browser browser) : IClassFixture<SandboxPortal>, IClassFixture<Browser>
{
    [Fact]
    public async Task An_Admin_adds_a_webhook_channel_and_restores_a_production_backup_into_staging()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await using var ada = await DbaSession.SignInAsync(browser, portal, "ada");
        await ada.GotoAsync("notifications", "[data-testid=channel-form]");
        await ada.Page.Locator("input[data-testid=channel-name]").FillAsync("dba hook");
        await ada.Page.Locator("input[data-testid=channel-url]").FillAsync("https://hooks.example.com/botcore");
        await ada.Page.Locator("input[data-testid=channel-secret]").FillAsync("signing-key-0123456789abcdef");
        await ada.Page.Locator("[data-testid=save-channel]").ClickAsync();
        var row = ada.Page.Locator("[data-testid='channel-dba hook']");
        await row.WaitForAsync();
        var secret = await ada.Page.Locator("[data-testid='channel-secret-dba hook']").InnerTextAsync();
        Assert.DoesNotContain("0123456789abcdef", secret);
        Assert.Contains("cdef", secret);
        await ada.ScreenshotAsync("30-notification-channels");

        // A verified whole-database backup of production, taken and verified on the Backups page.
        await ada.GotoAsync("backups", "[data-testid=back-up]");
        await ada.Page.Locator("[data-testid=target-select]").ClickAsync();
        await ada.Page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextRegex = new Regex(@"^\s*production\s*$") }).ClickAsync();
        // A click while the select re-renders was once lost in CI: clicked again, at most twice more, until the backup of production starts.
        var started = ada.Page.Locator("[data-testid=operation]").Filter(new LocatorFilterOptions { HasText = "of production" });
        for (var attempt = 1; ; attempt++)
        {
            await ada.Page.Locator("[data-testid=back-up]").ClickAsync();
            try
            {
                await started.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
        var backupCell = ada.Page.Locator("td[data-testid^=backup-]").Filter(new LocatorFilterOptions { HasText = "-production-" }).First;
        await backupCell.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var backupId = (await backupCell.Locator("span.mono").InnerTextAsync()).Trim();
        await ada.Page.Locator($"[data-testid='actions-{backupId}']").GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        var restoreInto = ada.Page.Locator($"[data-testid='restore-into-{backupId}']");
        await restoreInto.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        await restoreInto.ClickAsync();
        await ada.Page.Locator("[data-testid=restore-into-dialog]").WaitForAsync();
        await ada.Page.Locator("[data-testid=restore-into-destination]").ClickAsync();
        await ada.Page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextRegex = new Regex(@"^\s*staging \(Staging\)\s*$") }).ClickAsync();
        await ada.Page.Locator("textarea[data-testid=restore-into-masking]").FillAsync("users.email hash");
        Assert.Contains("which backup", await ada.Page.Locator("[data-testid=restore-into-masking-problem]").InnerTextAsync());
        Assert.True(await ada.Page.Locator("[data-testid=restore-into-confirm]").IsDisabledAsync());
        await ada.Page.Locator("textarea[data-testid=restore-into-masking]").FillAsync("");
        await ada.Page.Locator("input[data-testid=restore-into-confirmation]").FillAsync("staging");
        await ada.ScreenshotAsync("31-restore-into-staging", fullPage: false);
        await ada.Page.Locator("[data-testid=restore-into-confirm]").ClickAsync();

        var record = ada.Page.Locator($"[data-testid='restore-into-record-{backupId}']");
        await record.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var text = await record.InnerTextAsync();
        Assert.Contains("staging", text);
        Assert.Contains("restored into staging", await ada.Page.Locator("[data-testid=operation-outcome]").InnerTextAsync());
        await ada.Page.Locator($"[data-testid='restore-duration-{backupId}']").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await ada.ScreenshotAsync("32-backups-rehearsal-and-sla");

        var audit = await (await ada.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv")).TextAsync();
        Assert.Contains(",ada,Admin,notification-channel-added,", audit);
        Assert.DoesNotContain("signing-key-0123456789abcdef", audit);
    }
}
