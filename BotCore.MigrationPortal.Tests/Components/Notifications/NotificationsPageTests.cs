using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Notifications;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Notifications;

/// <summary>The Notifications page: an Admin adds, edits and disables channels, a secret is shown only masked, and a stale page is refused.</summary>
public sealed class NotificationsPageTests : PortalPageContext
{
    private const string Key = "whsec-page-key-0123456789";

    private INotificationStore Store => Services.GetRequiredService<INotificationStore>();

    private RecordingAuditLog Audit => Services.GetRequiredService<RecordingAuditLog>();

    private async Task<IRenderedComponent<NotificationsPage>> OpenAsync()
    {
        SignIn(Ada);
        var page = RenderPage<NotificationsPage>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=save-channel]").HasAttribute("disabled")), Patience);
        return page;
    }

    private static async Task FillWebhookAsync(IRenderedComponent<NotificationsPage> page, string name)
    {
        await page.Find("input[data-testid=channel-name]").ChangeAsync(new() { Value = name });
        await page.Find("input[data-testid=channel-url]").ChangeAsync(new() { Value = "https://hooks.example.com/botcore" });
        await page.Find("input[data-testid=channel-secret]").ChangeAsync(new() { Value = Key });
    }

    [Fact]
    public async Task An_Admin_adds_a_webhook_whose_key_is_then_shown_only_masked()
    {
        var page = await OpenAsync();
        Assert.Single(page.FindAll("[data-testid=channels-empty]"));
        await FillWebhookAsync(page, "team hook");

        await page.Find("[data-testid=save-channel]").ClickAsync(new());

        WaitForSnackbar("Channel 'team hook' added.");
        var stored = Assert.Single(await Store.ListChannelsAsync(Token));
        Assert.Equal((ChannelKind.Webhook, "https://hooks.example.com/botcore", Key, true), (stored.Kind, stored.Url, stored.Secret, stored.Enabled));
        Assert.Equal([PortalEventKind.ApprovalRequested, PortalEventKind.RunSucceeded, PortalEventKind.RunFailed, PortalEventKind.RollbackFailed], stored.Events);
        page.WaitForAssertion(() => Assert.Equal("••••6789", TextOf(page.Find("[data-testid='channel-secret-team hook']"))), Patience);
        Assert.DoesNotContain(Key, page.Markup, StringComparison.Ordinal);
        Assert.Contains(Audit.Records, r => r is { User: "ada", Action: AuditActions.NotificationChannelAdded } && !r.Details.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Editing_without_typing_the_secret_keeps_it_and_disabling_stops_the_channel()
    {
        var page = await OpenAsync();
        await FillWebhookAsync(page, "team hook");
        await page.Find("[data-testid=save-channel]").ClickAsync(new());
        page.WaitForElement("[data-testid='edit-team hook']", Patience);

        await page.Find("[data-testid='edit-team hook']").ClickAsync(new());
        Assert.Contains("saved: ••••6789", page.Find("input[data-testid=channel-secret]").GetAttribute("placeholder"), StringComparison.Ordinal);
        Assert.Equal("", page.Find("input[data-testid=channel-secret]").GetAttribute("value") ?? "");
        await page.Find("input[data-testid=channel-event-DriftFound]").ChangeAsync(new() { Value = true });
        await page.Find("[data-testid=save-channel]").ClickAsync(new());
        WaitForSnackbar("Channel 'team hook' saved.");
        var edited = Assert.Single(await Store.ListChannelsAsync(Token));
        Assert.Equal((Key, 2L), (edited.Secret, edited.Revision));
        Assert.Contains(PortalEventKind.DriftFound, edited.Events);

        page.WaitForElement("[data-testid='toggle-team hook']", Patience);
        await page.Find("[data-testid='toggle-team hook']").ClickAsync(new());

        WaitForSnackbar("Channel 'team hook' disabled.");
        Assert.False(Assert.Single(await Store.ListChannelsAsync(Token)).Enabled);
        page.WaitForAssertion(() => Assert.Equal("Disabled", TextOf(page.Find("[data-testid='channel-state-team hook']"))), Patience);
    }

    [Fact]
    public async Task A_missing_key_is_refused_with_a_sentence()
    {
        var page = await OpenAsync();
        await page.Find("input[data-testid=channel-name]").ChangeAsync(new() { Value = "no key" });
        await page.Find("input[data-testid=channel-url]").ChangeAsync(new() { Value = "https://hooks.example.com/botcore" });

        await page.Find("[data-testid=save-channel]").ClickAsync(new());

        WaitForSnackbar("Give the webhook a signing key");
        Assert.Empty(await Store.ListChannelsAsync(Token));
    }

    [Fact]
    public async Task Saving_on_a_page_opened_while_an_Admin_is_refused_once_she_is_an_Approver()
    {
        var page = await OpenAsync();
        await FillWebhookAsync(page, "team hook");
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(Ada.Name, Token))! with { Role = Role.Approver }, Token);

        await page.Find("[data-testid=save-channel]").ClickAsync(new());

        WaitForSnackbar("ada (Approver) may not configure notifications");
        Assert.Empty(await Store.ListChannelsAsync(Token));
        Assert.Contains(Audit.Records, r => r is { User: "ada", Action: AuditActions.ActionRefused } &&
                                            r.Details.StartsWith("tried to add the notification channel 'team hook'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disabling_on_a_page_opened_while_an_Admin_is_refused_once_her_account_is_disabled()
    {
        var page = await OpenAsync();
        await FillWebhookAsync(page, "team hook");
        await page.Find("[data-testid=save-channel]").ClickAsync(new());
        page.WaitForElement("[data-testid='toggle-team hook']", Patience);
        var before = Assert.Single(await Store.ListChannelsAsync(Token));
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(Ada.Name, Token))! with { Disabled = true }, Token);

        await page.Find("[data-testid='toggle-team hook']").ClickAsync(new());

        WaitForSnackbar("The account 'ada' is disabled.");
        Assert.Equal(before, Assert.Single(await Store.ListChannelsAsync(Token)));
        Assert.Contains(Audit.Records, r => r is { User: "ada", Action: AuditActions.ActionRefused } &&
                                            r.Details.StartsWith($"tried to disable the notification channel {before.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_person_who_is_not_an_Admin_sees_why_and_no_channel()
    {
        var page = RenderPage<NotificationsPage>();

        page.WaitForAssertion(() => Assert.Contains("olga (Operator) may not configure notifications", TextOf(page.Find("[data-testid=notifications-problem]")),
            StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-testid=channels-table]"));
    }
}
