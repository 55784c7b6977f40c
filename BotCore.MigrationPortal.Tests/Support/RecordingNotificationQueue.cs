using BotCore.MigrationPortal.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>
/// The notification job queue of a test host: it records each attempt queued (a retry with its delay) and <see cref="RunAllAsync"/> runs
/// them in order as Hangfire would, a retry at once instead of after its delay.
/// </summary>
internal sealed class RecordingNotificationQueue(IServiceProvider services) : INotificationJobQueue
{
    private readonly Queue<string> pending = new();
    private readonly List<(string DeliveryId, TimeSpan Delay)> retries = [];

    public IReadOnlyList<(string DeliveryId, TimeSpan Delay)> Retries
    {
        get
        {
            lock (pending) return retries.ToList();
        }
    }

    private readonly List<string> enqueued = [];

    /// <summary>Every delivery queued for its first attempt, in order.</summary>
    public IReadOnlyList<string> Enqueued
    {
        get
        {
            lock (pending) return enqueued.ToList();
        }
    }

    public string Enqueue(string deliveryId)
    {
        lock (pending)
        {
            pending.Enqueue(deliveryId);
            enqueued.Add(deliveryId);
        }
        return $"notification-job-{deliveryId}";
    }

    public string Schedule(string deliveryId, TimeSpan delay)
    {
        lock (pending)
        {
            retries.Add((deliveryId, delay));
            pending.Enqueue(deliveryId);
        }
        return $"notification-retry-{deliveryId}-{retries.Count}";
    }

    /// <summary>Runs every queued attempt, and those they queue, until none is left.</summary>
    public async Task RunAllAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string next;
            lock (pending)
            {
                if (!pending.TryDequeue(out next!)) return;
            }
            await services.GetRequiredService<NotificationDeliveryJob>().ExecuteAsync(next, cancellationToken);
        }
    }
}
