namespace BotCore.MigrationPortal.Notifications;

/// <summary>The channels and the deliveries, in the portal store (memory in the sandbox, MongoDB otherwise).</summary>
public interface INotificationStore
{
    Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken);

    Task<NotificationChannel?> FindChannelAsync(string id, CancellationToken cancellationToken);

    /// <summary>False when a channel with that name exists (names are unique, case-insensitive).</summary>
    Task<bool> TryInsertChannelAsync(NotificationChannel channel, CancellationToken cancellationToken);

    /// <summary>Replaces the channel only if it still has <paramref name="expectedRevision"/>; false otherwise.</summary>
    Task<bool> TryReplaceChannelAsync(NotificationChannel channel, long expectedRevision, CancellationToken cancellationToken);

    Task InsertDeliveryAsync(NotificationDelivery delivery, CancellationToken cancellationToken);

    Task ReplaceDeliveryAsync(NotificationDelivery delivery, CancellationToken cancellationToken);

    Task<NotificationDelivery?> FindDeliveryAsync(string id, CancellationToken cancellationToken);

    /// <summary>The run's deliveries, oldest first.</summary>
    Task<IReadOnlyList<NotificationDelivery>> ListDeliveriesForRunAsync(string runId, CancellationToken cancellationToken);
}
