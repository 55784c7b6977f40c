using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Notifications;

/// <summary>
/// Secrets stay secret: the portal's log, written through Serilog as the portal writes it (every event, rendered and with its properties),
/// and the audit log never contain a channel's secret, and the settings service never hands one back.
/// </summary>
public sealed class NotificationSecretsTests : IDisposable
{
    private const string SlackToken = "s3cr3t-slack-token-4711";
    private const string SigningKey = "whsec-signing-key-0815";

    private readonly CapturingSink sink = new();
    private readonly ServiceProvider services;

    public NotificationSecretsTests()
    {
        var serilog = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        var collection = new ServiceCollection().AddSandboxRuns();
        // After the test portal's silent loggers: the portal's own logging pipeline, captured.
        collection.AddSingleton<ILoggerFactory>(new SerilogLoggerFactory(serilog, dispose: true));
        collection.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services = collection.BuildServiceProvider();
    }

    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_secret_never_reaches_the_log_the_audit_log_or_the_settings_page()
    {
        await using var receiver = await WebhookReceiver.StartAsync(SigningKey, Token);
        receiver.FailNext = 1;
        var settings = services.GetRequiredService<NotificationSettings>();
        var store = services.GetRequiredService<INotificationStore>();
        await settings.SaveAsync(Ada, new ChannelDraft
        {
            Name = "hook", Kind = ChannelKind.Webhook, Url = receiver.Url(), Secret = SigningKey, Events = [PortalEventKind.RestoreDone],
        }, Token);
        var teams = await settings.SaveAsync(Ada, new ChannelDraft
        {
            Name = "teams", Kind = ChannelKind.Teams, Secret = $"https://example.webhook.office.com/webhookb2/{SlackToken}", Events = [PortalEventKind.RestoreDone],
        }, Token);
        await settings.SaveAsync(Ada, ChannelDraft.Of(teams.Channel) with { Secret = $"https://example.webhook.office.com/webhookb2/{SlackToken}-2" }, Token);
        // The sandbox cannot reach Slack, and the settings accept only https for it: the local receiver stands in, stored as an Admin's save would store it.
        Assert.True(await store.TryInsertChannelAsync(new NotificationChannel
        {
            Id = "ch-slack", Name = "slack", Kind = ChannelKind.Slack, Secret = receiver.Url($"services/T000/B000/{SlackToken}"), Events = [PortalEventKind.RestoreDone],
            UpdatedBy = "ada",
        }, Token));

        await services.GetRequiredService<INotificationPublisher>().PublishAsync(
            new PortalEvent(PortalEventKind.RestoreDone, DateTime.UtcNow, "dev", null, "Restore r-1 of backup b-1 over dev ended: Succeeded."), Token);
        await services.GetRequiredService<RecordingNotificationQueue>().RunAllAsync(Token);

        Assert.Contains(receiver.Received, r => r.Path.EndsWith(SlackToken, StringComparison.Ordinal));
        Assert.NotEmpty(sink.Lines);
        Assert.Contains(sink.Lines, line => line.Contains("attempt 1 failed", StringComparison.Ordinal));
        Assert.All(sink.Lines, line => Assert.DoesNotContain(SlackToken, line, StringComparison.Ordinal));
        Assert.All(sink.Lines, line => Assert.DoesNotContain(SigningKey, line, StringComparison.Ordinal));
        var audit = services.GetRequiredService<RecordingAuditLog>().Records;
        Assert.Equal(3, audit.Count(r => r.Action.StartsWith("notification-channel-", StringComparison.Ordinal)));
        Assert.All(audit, r => Assert.DoesNotContain(SlackToken, r.Details, StringComparison.Ordinal));
        Assert.All(audit, r => Assert.DoesNotContain(SigningKey, r.Details, StringComparison.Ordinal));
        Assert.Contains(audit, r => r.Details.EndsWith("; secret set", StringComparison.Ordinal) && r.Details.StartsWith("changed Teams", StringComparison.Ordinal));
        var listed = await settings.ListAsync(Ada, Token);
        Assert.All(listed, view => Assert.Null(view.Channel.Secret));
        Assert.Equal(["••••0815", "http://127.0.0.1/…4711", "https://example.webhook.office.com/…11-2"], listed.Select(v => v.MaskedSecret));
        Assert.All(await store.ListDeliveriesForRunAsync("none", Token), _ => Assert.Fail("a restore from the Backups page belongs to no run"));
    }

    public void Dispose() => services.Dispose();

    /// <summary>Every log event as one line: the rendered message, each property, and the exception.</summary>
    private sealed class CapturingSink : ILogEventSink
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines) return lines.ToList();
            }
        }

        public void Emit(LogEvent logEvent)
        {
            var line = $"{logEvent.RenderMessage()} {string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} {logEvent.Exception}";
            lock (lines) lines.Add(line);
        }
    }
}
