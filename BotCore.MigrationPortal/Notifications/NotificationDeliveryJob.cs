using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Events;
using Hangfire;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// One attempt to deliver one event to one channel. The retries are its own, not Hangfire's: a failed attempt is recorded and the next
/// is scheduled after the configured delay (<see cref="NotificationOptions.RetryDelays"/>), so that every attempt shows on the run and the
/// delays can be short in tests. A delivered approval request or success settles its checklist item (<see cref="NotifiedTeamItems"/>).
/// </summary>
public sealed class NotificationDeliveryJob(
    INotificationStore store,
    INotificationJobQueue jobs,
    NotificationSender sender,
    NotificationOptions options,
    RunRepository runs,
    IRunEventStore events,
    TimeProvider time,
    ILogger<NotificationDeliveryJob> logger)
{
    [JobDisplayName("Notification {0}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task ExecuteAsync(string deliveryId, CancellationToken cancellationToken)
    {
        if (await store.FindDeliveryAsync(deliveryId, cancellationToken) is not { Status: DeliveryStatus.Pending } delivery) return;
        var number = delivery.Attempts.Count + 1;
        var channel = await store.FindChannelAsync(delivery.ChannelId, cancellationToken);
        var outcome = channel is { Enabled: true }
            ? await sender.SendAsync(channel, new NotificationMessage(delivery.Event, delivery.Id, options.LinkTo(delivery.Event)), cancellationToken)
            : new SendOutcome(false, null, $"The channel '{delivery.ChannelName}' was {(channel is null ? "removed" : "disabled")} before this attempt.");
        var now = time.GetUtcNow().UtcDateTime;
        var retry = !outcome.Succeeded && channel is { Enabled: true } && number < options.MaxAttempts;
        var recorded = delivery with
        {
            Attempts = [.. delivery.Attempts, new DeliveryAttempt(number, now, outcome.Succeeded, outcome.Response, outcome.Error)],
            Status = outcome.Succeeded ? DeliveryStatus.Delivered : retry ? DeliveryStatus.Pending : DeliveryStatus.Failed,
            NextAttemptAt = retry ? now + options.RetryDelays[number - 1] : null,
        };
        await store.ReplaceDeliveryAsync(recorded, cancellationToken);
        if (retry) jobs.Schedule(delivery.Id, options.RetryDelays[number - 1]);
        await ReportAsync(recorded, cancellationToken);
    }

    private async Task ReportAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Last!;
        if (delivery.Status == DeliveryStatus.Pending)
        {
            logger.LogInformation("Notification {DeliveryId} of {Event} to channel {Channel}: attempt {Attempt} failed ({Error}); retrying at {NextAttemptAt:u}",
                delivery.Id, delivery.Event.Kind, delivery.ChannelName, attempt.Number, attempt.Error, delivery.NextAttemptAt);
            return;
        }
        if (delivery.Status == DeliveryStatus.Failed)
        {
            logger.LogWarning("Notification {DeliveryId} of {Event} to channel {Channel} failed after {Attempts} attempts: {Error}",
                delivery.Id, delivery.Event.Kind, delivery.ChannelName, attempt.Number, attempt.Error);
        }
        else
        {
            logger.LogInformation("Notification {DeliveryId} of {Event} delivered to channel {Channel} ({Response})", delivery.Id, delivery.Event.Kind,
                delivery.ChannelName, attempt.Response);
        }
        if (delivery.Event.RunId is not { } runId) return;
        var delivered = delivery.Status == DeliveryStatus.Delivered;
        await events.AppendAsync(runId, new RunEvent(time.GetUtcNow(), RunEventKind.Log, delivered
            ? $"Notification '{delivery.Event.Kind.DisplayName()}' delivered to '{delivery.ChannelName}' ({attempt.Response})"
            : $"Notification '{delivery.Event.Kind.DisplayName()}' to '{delivery.ChannelName}' failed after {attempt.Number} attempts: {attempt.Error}")
        {
            Level = delivered ? RunEventLevel.Information : RunEventLevel.Error,
        }, cancellationToken);
        if (delivered && NotifiedTeamItems.ItemFor(delivery.Event.Kind) is { } itemId)
        {
            await runs.UpdateAsync(runId, run => NotifiedTeamItems.Settled(run, delivery), $"'{itemId}' settled by notification {delivery.Id}", cancellationToken);
        }
    }
}
