using BotCore.MigrationPortal.Emergency;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using Hangfire;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// Records one delivery per channel that gets the event and queues its job. A failure carries the emergency contacts of the target's
/// tier (<see cref="EmergencyContacts"/>, the list the run page shows), so that whoever reads it at 3 a.m. knows whom to call.
/// </summary>
public sealed class NotificationPublisher(INotificationStore store, INotificationJobQueue jobs, TargetRegistry targets, EmergencyContacts contacts, TimeProvider time,
    ILogger<NotificationPublisher> logger) : INotificationPublisher
{
    public async Task PublishAsync(PortalEvent portalEvent, CancellationToken cancellationToken)
    {
        if (portalEvent.IsFailure) portalEvent = portalEvent with { Contacts = ContactsOf(portalEvent.Target) };
        try
        {
            foreach (var channel in (await store.ListChannelsAsync(cancellationToken)).Where(c => c.Gets(portalEvent.Kind)))
            {
                var delivery = new NotificationDelivery
                {
                    Id = $"ntf-{Guid.NewGuid():N}"[..16], ChannelId = channel.Id, ChannelName = channel.Name, ChannelKind = channel.Kind, Event = portalEvent,
                    Status = DeliveryStatus.Pending, CreatedAt = time.GetUtcNow().UtcDateTime,
                };
                await store.InsertDeliveryAsync(delivery, cancellationToken);
                jobs.Enqueue(delivery.Id);
            }
        }
        catch (Exception e) when (e is MigrationEngineException or BackgroundJobClientException or InvalidOperationException)
        {
            // Telling the team must not undo or fail what happened: the run page shows no delivery for it, the log says why.
            logger.LogWarning(e, "Could not queue the notifications of {Event} on {Target} (run {RunId})", portalEvent.Kind, portalEvent.Target, portalEvent.RunId);
        }
    }

    private IReadOnlyList<string> ContactsOf(string target)
    {
        var tier = targets.All.FirstOrDefault(t => string.Equals(t.Name, target, StringComparison.OrdinalIgnoreCase))?.Tier;
        return tier is null ? [] : contacts.For(tier.Value).Select(c => $"{c.Role}: {c.Name}, {c.Reach}").ToList();
    }
}
