using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.Mongo;
using Hangfire.Mongo.Migration.Strategies;
using Hangfire.Mongo.Migration.Strategies.Backup;

namespace BotCore.MigrationPortal.Runs;

public static class RunServices
{
    public const string DashboardPath = "/hangfire";

    /// <summary>Runs, their events, the run service and the Hangfire server that executes queued runs.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services, IConfiguration configuration, PortalMode mode)
    {
        if (mode.IsSandbox)
        {
            services.AddSingleton<IRunStore, InMemoryRunStore>();
            services.AddSingleton<IRunEventStore, InMemoryRunEventStore>();
        }
        else
        {
            services.AddSingleton<MongoRunStore>();
            services.AddSingleton<IRunStore>(provider => provider.GetRequiredService<MongoRunStore>());
            services.AddSingleton<MongoRunEventStore>();
            services.AddSingleton<IRunEventStore>(provider => provider.GetRequiredService<MongoRunEventStore>());
            services.AddHostedService<RunStoreIndexes>();
        }
        services.AddSingleton<RunRepository>();
        services.AddSingleton<Adoption.AdoptionPreChecks>();
        services.AddSingleton<Fixes.FixPreChecks>();
        services.AddSingleton<PreCheckEvaluator>();
        services.AddSingleton<PostRunEvaluator>();
        services.AddSingleton<RunService>();
        services.AddSingleton<RunBackups>();
        services.AddSingleton<Backups.Jobs.IRestoreObserver, RollbackRestoreSettler>();
        services.AddSingleton<Inbox.RunInbox>();
        services.AddSingleton<Overview.TargetOverviewService>();
        services.AddSingleton<IRunJobQueue, HangfireRunJobQueue>();
        services.AddSingleton<RunJobLedger>();
        services.AddSingleton<RunCancellationWatch>();
        services.AddTransient<MigrationRunJob>();
        services.AddTransient<RunBackupJob>();
        services.AddTransient<ScheduledRunStartJob>();
        services.AddTransient<Adoption.BaselineRunJob>();
        services.AddTransient<Fixes.FixRunJob>();

        // This container's own storage and job activator, registered before AddHangfire so that its server and job client use these:
        // AddHangfire's own are whatever the process-wide JobStorage.Current and JobActivator.Current hold when first asked, which a
        // second host in the process (a test host, a component test) may have set to its own, and this portal's jobs would then wait
        // where no server of it reads, or run with the other host's services.
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<JobStorage>(provider =>
        {
            if (mode.IsSandbox) return new InMemoryStorage();
            var portal = provider.GetRequiredService<PortalDatabase>();
            return new MongoStorage(portal.Database.Client, portal.Database.DatabaseNamespace.DatabaseName, HangfireStorageOptions(portal.SupportsChangeStreams));
        });
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        services.AddHangfireServer(options =>
        {
            options.WorkerCount = configuration.GetValue("Portal:Hangfire:WorkerCount", 2);
            // How late a scheduled run may start after its time: Hangfire's 15 s by default, 1 s in the sandbox so that a run
            // scheduled a few seconds ahead is seen starting.
            options.SchedulePollingInterval = TimeSpan.FromSeconds(configuration.GetValue("Portal:Hangfire:SchedulePollingSeconds", mode.IsSandbox ? 1 : 15));
        });
        return services;
    }

    /// <summary>Hangfire.Mongo's options for the portal store.</summary>
    /// <param name="supportsChangeStreams">The store is a replica set or mongos (<see cref="PortalDatabase.SupportsChangeStreams"/>).</param>
    public static MongoStorageOptions HangfireStorageOptions(bool supportsChangeStreams) => new()
    {
        // Upgrades Hangfire's own collections in place (after backing them up) instead of refusing to start.
        MigrationOptions = new MongoMigrationOptions
        {
            MigrationStrategy = new MigrateMongoMigrationStrategy(),
            BackupStrategy = new CollectionMongoBackupStrategy(),
        },
        // How a worker learns at once that a job was enqueued; without either, it finds the job only at its next poll
        // (QueuePollInterval, 15 s by default), so "Start run" and "Back up now" would sit queued that long. Hangfire.Mongo 1.17
        // (gottscj/Hangfire.Mongo): Watch opens a change stream (MongoJobQueueWatcher), which needs a replica set or mongos;
        // TailNotificationsCollection tails the capped "<prefix>.notifications" collection its migration creates
        // (Migration/Steps/Version17/00_AddNotificationsCollection.cs, with SupportsCappedCollection, true by default) and that
        // every enqueue writes to (MongoWriteOnlyTransaction), which a single server supports; its CheckQueuedJobsStrategy.cs says it
        // "works with single node and test setups". Both release the queue's semaphore the fetcher waits on (MongoJobFetcher);
        // Poll releases nothing.
        CheckQueuedJobsStrategy = supportsChangeStreams ? CheckQueuedJobsStrategy.Watch : CheckQueuedJobsStrategy.TailNotificationsCollection,
        CheckConnection = true,
    };

    /// <summary>
    /// The Hangfire dashboard, for Admins only (its own local-requests-only filter is replaced by the policy). What an Admin
    /// changes there (requeue, delete, trigger) is audited (see <see cref="JobDashboardAudit"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(nameof(Role.Admin), DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            DisplayStorageConnectionString = false,
            DashboardTitle = "BotCore migration jobs",
            AppPath = "/",
        }).Add(endpoint =>
        {
            var dashboard = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = async context =>
            {
                await dashboard(context);
                if (JobDashboardAudit.Acted(context)) await JobDashboardAudit.RecordAsync(context);
            };
        });
        return endpoints;
    }

    private sealed class RunStoreIndexes(MongoRunStore runs, MongoRunEventStore events) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await runs.EnsureIndexesAsync(cancellationToken);
            await events.EnsureIndexesAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
