using BotCore.MigrationPortal.Engine;
using Hangfire;

namespace BotCore.MigrationPortal.Notifications;

public sealed class NotificationPublisher(INotificationStore store, INotificationJobQueue jobs, TimeProvider time, ILogger<NotificationPublisher> logger)
    : INotificationPublisher
{
    public async Task PublishAsync(PortalEvent portalEvent, CancellationToken cancellationToken)
    {
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
}
