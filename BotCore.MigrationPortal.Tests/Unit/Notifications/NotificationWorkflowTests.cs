using System.Text.Json;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Notifications;

/// <summary>
/// A whole run told to a real webhook receiver on a local Kestrel port, which checks each HMAC signature; the delivery jobs run as Hangfire
/// would (a retry at once, its delay recorded); a failing receiver is retried and its failure recorded, and the checklist's "notified team"
/// items follow what was delivered.
/// </summary>
public sealed class NotificationWorkflowTests : IDisposable
{
    private const string Key = "whsec-test-0123456789abcdef";

    private readonly PortalHarness portal = new(settings: new Dictionary<string, string?>
    {
        ["Notifications:RetryDelaysSeconds:0"] = "5",
        ["Notifications:RetryDelaysSeconds:1"] = "20",
        ["Portal:PublicUrl"] = "https://migrations.example.com/",
    });

    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    private RecordingNotificationQueue Deliveries => portal.Services.GetRequiredService<RecordingNotificationQueue>();

    private INotificationStore Store => portal.Services.GetRequiredService<INotificationStore>();

    private Task<ChannelView> AddWebhookAsync(WebhookReceiver receiver, params PortalEventKind[] events) =>
        portal.Services.GetRequiredService<NotificationSettings>().SaveAsync(Ada, new ChannelDraft
        {
            Name = "team hook", Kind = ChannelKind.Webhook, Url = receiver.Url(), Secret = Key, Events = events.Length > 0 ? events : Enum.GetValues<PortalEventKind>(),
        }, Token);

    /// <summary>A run on dev with its manual items ticked, except "Notified team of upcoming migration", and its backup taken.</summary>
    private async Task<MigrationRun> PreparedAsync()
    {
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.3.0"), Token);
        foreach (var item in run.Checklist.Where(i => i.ItemId != ChecklistTemplate.TeamNotified &&
                                                      ChecklistTemplate.Get(i.ItemId) is { Kind: ItemKind.Manual, Required: true, Phase: ItemPhase.BeforeApproval }))
        {
            run = await portal.Runs.TickAsync(Olga, run.Id, item.ItemId, "checked", run.Revision, Token);
        }
        return await portal.BackUpAsync(run);
    }

    [Fact]
    public async Task A_whole_run_reaches_the_receiver_signed_and_in_order_and_settles_the_notified_team_items()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Key, Token);
        await AddWebhookAsync(receiver);
        var run = await PreparedAsync();

        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        await Deliveries.RunAllAsync(Token);
        run = await portal.Runs.GetAsync(run.Id, Token);
        var notified = run.Item(ChecklistTemplate.TeamNotified)!;
        Assert.Equal(ItemStatus.Passed, notified.Status);
        Assert.Contains("'Approval requested' delivered to Webhook channel 'team hook'", notified.Evidence, StringComparison.Ordinal);
        Assert.Contains("answered HTTP 200", notified.Evidence, StringComparison.Ordinal);

        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
        await Deliveries.RunAllAsync(Token);
        run = await portal.ExecuteAsync(run);
        await Deliveries.RunAllAsync(Token);

        Assert.Equal(RunState.Succeeded, run.State);
        var received = receiver.Received;
        Assert.Equal(["ApprovalRequested", "Approved", "RunQueued", "RunStarted", "RunSucceeded"], received.Select(r => r.Event));
        Assert.All(received, r => Assert.True(r.SignatureValid, $"{r.Event} was not signed with the channel's key"));
        var succeeded = JsonDocument.Parse(received[^1].Body).RootElement;
        Assert.Equal(run.Id, succeeded.GetProperty("runId").GetString());
        Assert.Equal($"https://migrations.example.com/runs/{run.Id}", succeeded.GetProperty("link").GetString());
        Assert.Equal(received[^1].Delivery, succeeded.GetProperty("id").GetString());
        Assert.Equal(ItemStatus.Passed, (await portal.Runs.GetAsync(run.Id, Token)).Item(ChecklistTemplate.TeamNotifiedOfSuccess)!.Status);
        Assert.All(await Store.ListDeliveriesForRunAsync(run.Id, Token), d => Assert.Equal((DeliveryStatus.Delivered, 1), (d.Status, d.Attempts.Count)));
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_after_the_configured_delays_then_the_failure_is_recorded_and_the_item_stays_for_a_person()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Key, Token);
        receiver.FailNext = int.MaxValue;
        await AddWebhookAsync(receiver, PortalEventKind.ApprovalRequested);
        var run = await PreparedAsync();

        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        await Deliveries.RunAllAsync(Token);

        Assert.Equal(3, receiver.Received.Count);
        var delivery = Assert.Single(await Store.ListDeliveriesForRunAsync(run.Id, Token));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal([1, 2, 3], delivery.Attempts.Select(a => a.Number));
        Assert.All(delivery.Attempts, a => Assert.Equal((false, "HTTP 500"), (a.Succeeded, a.Response)));
        Assert.Contains("The receiver answered HTTP 500", delivery.Last!.Error, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)], Deliveries.Retries.Select(r => r.Delay));
        Assert.Contains(await portal.Events.ReadAsync(run.Id, 0, Token),
            e => e.Event.Level == RunEventLevel.Error && e.Event.Message.Contains("'Approval requested' to 'team hook' failed after 3 attempts", StringComparison.Ordinal));
        Assert.Equal(ItemStatus.Open, (await portal.Runs.GetAsync(run.Id, Token)).Item(ChecklistTemplate.TeamNotified)!.Status);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: false, Token));
        Assert.Contains("'Notified team of upcoming migration' is not ticked", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_third_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Key, Token);
        receiver.FailNext = 2;
        await AddWebhookAsync(receiver, PortalEventKind.ApprovalRequested);
        var run = await PreparedAsync();

        await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        await Deliveries.RunAllAsync(Token);

        var delivery = Assert.Single(await Store.ListDeliveriesForRunAsync(run.Id, Token));
        Assert.Equal((DeliveryStatus.Delivered, 3), (delivery.Status, delivery.Attempts.Count));
        Assert.Equal(ItemStatus.Passed, (await portal.Runs.GetAsync(run.Id, Token)).Item(ChecklistTemplate.TeamNotified)!.Status);
    }

    [Fact]
    public async Task Without_a_channel_for_the_approval_request_the_notified_team_item_is_still_ticked_by_hand()
    {
        var run = await PreparedAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains("'Notified team of upcoming migration' is not ticked", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Deliveries.Retries);
    }

    [Fact]
    public async Task Renaming_a_channel_to_another_s_name_in_any_case_is_refused_and_changes_nothing()
    {
        var settings = portal.Services.GetRequiredService<NotificationSettings>();
        await settings.SaveAsync(Ada, new ChannelDraft { Name = "dba hook", Kind = ChannelKind.Slack, Secret = "https://hooks.slack.com/services/T0/B0/aaaa",
            Events = [PortalEventKind.RunFailed] }, Token);
        var other = await settings.SaveAsync(Ada, new ChannelDraft { Name = "ops hook", Kind = ChannelKind.Slack, Secret = "https://hooks.slack.com/services/T0/B0/bbbb",
            Events = [PortalEventKind.RunFailed] }, Token);

        var refused = await Assert.ThrowsAsync<ConflictRefusalException>(() => settings.SaveAsync(Ada, new ChannelDraft
        {
            Id = other.Channel.Id, Revision = other.Channel.Revision, Name = "DBA Hook", Kind = ChannelKind.Slack,
            Events = [PortalEventKind.RunFailed],
        }, Token));

        Assert.Equal("A channel named 'DBA Hook' exists already: choose another name, or edit that one.", refused.Message);
        Assert.Equal(["dba hook", "ops hook"], (await settings.ListAsync(Ada, Token)).Select(c => c.Channel.Name).Order());
    }

    [Fact]
    public async Task A_disabled_channel_gets_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Key, Token);
        var channel = await AddWebhookAsync(receiver);
        await portal.Services.GetRequiredService<NotificationSettings>().SetEnabledAsync(Ada, channel.Channel.Id, channel.Channel.Revision, enabled: false, Token);

        await portal.Services.GetRequiredService<INotificationPublisher>().PublishAsync(
            new PortalEvent(PortalEventKind.RestoreDone, DateTime.UtcNow, "dev", null, "Restore r-1 ended: Succeeded."), Token);
        await Deliveries.RunAllAsync(Token);

        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_failure_notification_carries_the_runs_error_and_e_mail_goes_out_over_SMTP()
    {
        await using var smtp = new SmtpStub();
        await portal.Services.GetRequiredService<NotificationSettings>().SaveAsync(Ada, new ChannelDraft
        {
            Name = "dba mail", Kind = ChannelKind.Email, SmtpHost = "127.0.0.1", SmtpPort = smtp.Port, SmtpTls = false, MailFrom = "portal@example.com",
            MailTo = "dba@example.com, oncall@example.com", Events = [PortalEventKind.RunFailed],
        }, Token);
        var failed = await portal.FailedRunLeftAppliedAsync("dev", "1.0.0", "1.1.0");

        await portal.Services.GetRequiredService<INotificationPublisher>().PublishAsync(
            RunTransitionEvents.Of(failed with { State = RunState.Running }, failed, DateTime.UtcNow).Single(), Token);
        await Deliveries.RunAllAsync(Token);

        var (recipients, data) = Assert.Single(smtp.Messages);
        Assert.Equal(["dba@example.com", "oncall@example.com"], recipients);
        Assert.Contains($"Subject: [BotCore migrations] Run failed: dev, run {failed.Id}", data, StringComparison.Ordinal);
        Assert.Contains("Error: Post-migration validation failed.", data, StringComparison.Ordinal);
        Assert.Contains($"https://migrations.example.com/runs/{failed.Id}", data, StringComparison.Ordinal);
        // Whom to call, as the failed run's page shows them: dev's tier has none configured here, so the spec's roles say so.
        Assert.Contains("Emergency contacts: DBA on-call: not configured, set Portal:EmergencyContacts:Development in the portal's configuration; DevOps lead:",
            data.Replace("\r\n", ""), StringComparison.Ordinal);
        var delivery = Assert.Single(await Store.ListDeliveriesForRunAsync(failed.Id, Token));
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.StartsWith("SMTP 250", delivery.Last!.Response, StringComparison.Ordinal);
    }

    public void Dispose() => portal.Dispose();
}
