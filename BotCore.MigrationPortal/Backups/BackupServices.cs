using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Retention;
using BotCore.MigrationPortal.Backups.Sandbox;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotCore.MigrationPortal.Backups;

public static class BackupServices
{
    /// <summary>
    /// Backups in the folder <c>Backups:Location</c> names (relative to the content root; a temporary folder of the process in
    /// sandbox mode unless it is set), their background jobs, and the retention applied once a day.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration, PortalMode mode)
    {
        services.AddBackupLocation(configuration, mode);
        services.AddSingleton<BackupStore>();
        services.AddSingleton<MongoBackupEngine>();
        services.AddSingleton<SandboxBackupEngine>();
        services.AddSingleton<BackupEngines>();
        services.AddSingleton<BackupService>();
        services.AddSingleton<IBackupService>(provider => provider.GetRequiredService<BackupService>());
        services.AddSingleton<BackupRestorer>();
        services.AddSingleton<MaskingSalt>();
        services.AddSingleton<RestoreSla>();
        services.AddSingleton<BackupRetentionRunner>();
        services.AddSingleton<BackupRequests>();
        services.AddTransient<BackupJobs>();
        services.TryAddSingleton<IBackupJobQueue, HangfireBackupJobQueue>();
        services.AddHostedService<BackupRetentionSchedule>();
        return services;
    }

    /// <summary>
    /// <see cref="BackupOptions"/> and <see cref="BackupPaths"/> alone: where backups go (what the CLI's <c>doctor</c> checks, without the
    /// rest of the backups feature).
    /// </summary>
    public static IServiceCollection AddBackupLocation(this IServiceCollection services, IConfiguration configuration, PortalMode mode)
    {
        var options = BackupOptions.From(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        if (mode.IsSandbox && options.Location is null)
        {
            services.AddSingleton<SandboxBackupFolder>();
            services.AddSingleton(provider => new BackupPaths(provider.GetRequiredService<SandboxBackupFolder>().Path));
        }
        else
        {
            services.AddSingleton(provider => new BackupPaths(Path.GetFullPath(Path.Combine(
                provider.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory(), options.Location ?? BackupOptions.DefaultLocation))));
        }
        return services;
    }

    /// <summary>A backup's manifest file as it is on disk, for any signed-in person who wants to see its collections and hashes.</summary>
    public static IEndpointRouteBuilder MapBackupEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/backups/{id}/manifest.json", async (string id, BackupStore store, CancellationToken cancellationToken) =>
            await store.FindAsync(id, cancellationToken) is { } manifest ? Results.File(store.Paths.Manifest(manifest.Id), "application/json") : Results.NotFound())
            .RequireAuthorization();
        return endpoints;
    }
}
