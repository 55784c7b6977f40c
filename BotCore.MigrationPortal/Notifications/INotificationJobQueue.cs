using Hangfire;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>Puts a delivery's attempts in the job system; returns the job's id.</summary>
public interface INotificationJobQueue
{
    /// <summary>The first attempt, now.</summary>
    string Enqueue(string deliveryId);

    /// <summary>A retry, after <paramref name="delay"/>.</summary>
    string Schedule(string deliveryId, TimeSpan delay);
}

public sealed class HangfireNotificationJobQueue(IBackgroundJobClient jobs) : INotificationJobQueue
{
    // Hangfire passes its shutdown token in place of None.
    public string Enqueue(string deliveryId) => jobs.Enqueue<NotificationDeliveryJob>(job => job.ExecuteAsync(deliveryId, CancellationToken.None));

    public string Schedule(string deliveryId, TimeSpan delay) =>
        jobs.Schedule<NotificationDeliveryJob>(job => job.ExecuteAsync(deliveryId, CancellationToken.None), delay);
}
