using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Checks;

// Placeholder registration; the Checks feature fills this in.
public static class CheckServices
{
    public static IServiceCollection AddIntegrityChecks(this IServiceCollection services, PortalMode mode) => services;
}
