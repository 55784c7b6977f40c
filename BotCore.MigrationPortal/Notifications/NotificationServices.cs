using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Notifications;

public static class NotificationServices
{
    /// <summary>Notification channels and deliveries: the store (MongoDB with its indexes, or memory in the sandbox), the publisher, the job and its queue.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration, PortalMode mode)
    {
        if (mode.IsSandbox)
        {
            services.AddSingleton<INotificationStore, InMemoryNotificationStore>();
        }
        else
        {
            services.AddSingleton<MongoNotificationStore>();
            services.AddSingleton<INotificationStore>(provider => provider.GetRequiredService<MongoNotificationStore>());
            services.AddHostedService<NotificationIndexes>();
        }
        services.AddSingleton(NotificationOptions.From(configuration));
        // Slack's and Teams' webhook URLs are their secrets: the factory's request logging, which writes every URL, is removed.
        services.AddHttpClient(NotificationSender.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<NotificationSender>();
        services.AddSingleton<NotificationSettings>();
        services.AddSingleton<INotificationPublisher, NotificationPublisher>();
        services.AddSingleton<INotificationJobQueue, HangfireNotificationJobQueue>();
        services.AddSingleton<Backups.Jobs.IRestoreObserver, RestoreDoneNotifier>();
        services.AddTransient<NotificationDeliveryJob>();
        return services;
    }

    private sealed class NotificationIndexes(MongoNotificationStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureIndexesAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
