namespace BotCore.MigrationPortal.Notifications;

/// <summary>The sandbox's channels and deliveries: forgotten when it stops.</summary>
public sealed class InMemoryNotificationStore : INotificationStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, NotificationChannel> channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NotificationDelivery> deliveries = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<NotificationChannel>>(channels.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList());
    }

    public Task<NotificationChannel?> FindChannelAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(channels.GetValueOrDefault(id));
    }

    public Task<bool> TryInsertChannelAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (channels.Values.Any(c => string.Equals(c.Name, channel.Name, StringComparison.OrdinalIgnoreCase))) return Task.FromResult(false);
            return Task.FromResult(channels.TryAdd(channel.Id, channel));
        }
    }

    public Task<bool> TryReplaceChannelAsync(NotificationChannel channel, long expectedRevision, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!channels.TryGetValue(channel.Id, out var current) || current.Revision != expectedRevision) return Task.FromResult(false);
            if (channels.Values.Any(c => c.Id != channel.Id && string.Equals(c.Name, channel.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw NotificationRules.NameTaken(channel.Name);
            }
            channels[channel.Id] = channel;
            return Task.FromResult(true);
        }
    }

    public Task InsertDeliveryAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        lock (gate) deliveries.Add(delivery.Id, delivery);
        return Task.CompletedTask;
    }

    public Task ReplaceDeliveryAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        lock (gate) deliveries[delivery.Id] = delivery;
        return Task.CompletedTask;
    }

    public Task<NotificationDelivery?> FindDeliveryAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(deliveries.GetValueOrDefault(id));
    }

    public Task<IReadOnlyList<NotificationDelivery>> ListDeliveriesForRunAsync(string runId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<NotificationDelivery>>(deliveries.Values.Where(d => d.Event.RunId == runId)
                .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList());
        }
    }
}
