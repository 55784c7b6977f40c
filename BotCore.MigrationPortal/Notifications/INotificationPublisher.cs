namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// Where every feature reports what the team is told about. It records one delivery per subscribed channel and queues one job for each;
/// it never fails the act that raised the event (a store or queue outage is logged, the run goes on).
/// </summary>
public interface INotificationPublisher
{
    Task PublishAsync(PortalEvent portalEvent, CancellationToken cancellationToken);
}
