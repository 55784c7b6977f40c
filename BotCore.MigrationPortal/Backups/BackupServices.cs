using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Backups;

// Placeholder registration; the Backups feature fills these in.
public static class BackupServices
{
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration, PortalMode mode) => services;

    public static IEndpointRouteBuilder MapBackupEndpoints(this IEndpointRouteBuilder endpoints) => endpoints;
}
