using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Notifications;

/// <summary>The run's Notifications section: each delivery with its status, and a failed one says why and what to do.</summary>
public sealed class RunNotificationsTests : PortalPageContext
{
    [Fact]
    public async Task A_delivery_that_failed_every_attempt_shows_on_the_run_with_the_receivers_answer()
    {
        await using var receiver = await WebhookReceiver.StartAsync("key-0123456789abcdef", Token);
        receiver.FailNext = int.MaxValue;
        var portal = new PortalHarness(Services);
        await Services.GetRequiredService<NotificationSettings>().SaveAsync(Ada, new ChannelDraft
        {
            Name = "team hook", Kind = ChannelKind.Webhook, Url = receiver.Url(), Secret = "key-0123456789abcdef", Events = [PortalEventKind.RunFailed],
        }, Token);
        var failed = await portal.FailedRunLeftAppliedAsync("dev", "1.0.0", "1.1.0");
        await Services.GetRequiredService<INotificationPublisher>().PublishAsync(
            new PortalEvent(PortalEventKind.RunFailed, DateTime.UtcNow, "dev", failed.Id, "failed", failed.Error), Token);
        await Services.GetRequiredService<RecordingNotificationQueue>().RunAllAsync(Token);

        var section = RenderPage<RunNotifications>(p => p.Add(x => x.Run, failed));

        section.WaitForAssertion(() => Assert.Single(section.FindAll("[data-testid=notifications-table]")), Patience);
        var alert = TextOf(section.Find("[data-testid=notification-failed]"));
        Assert.Contains("'Run failed' did not reach 'team hook' after 4 attempts: The receiver answered HTTP 500", alert, StringComparison.Ordinal);
        var row = Assert.Single(RowsOf(section.Find("[data-testid=notifications-table]")));
        Assert.Equal(["Run failed", "team hook (Webhook)", "Failed", "4", "HTTP 500"], row.Take(5));
    }

    [Fact]
    public async Task The_run_page_places_the_section()
    {
        var run = await new PortalHarness(Services).Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#section-notifications [data-testid=run-notifications]")), Patience);
    }

    [Fact]
    public async Task A_run_nobody_was_told_about_says_so()
    {
        var run = await new PortalHarness(Services).Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);

        var section = RenderPage<RunNotifications>(p => p.Add(x => x.Run, run));

        section.WaitForAssertion(() => Assert.Single(section.FindAll("[data-testid=notifications-none]")), Patience);
    }
}
