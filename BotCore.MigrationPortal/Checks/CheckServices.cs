using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Checks;

public static class CheckServices
{
    /// <summary>
    /// The integrity checks. One implementation serves both modes: whether a target is simulated is known per target,
    /// and a simulated one is answered as such check by check.
    /// </summary>
    public static IServiceCollection AddIntegrityChecks(this IServiceCollection services, PortalMode mode) =>
        services.AddSingleton<IIntegrityChecks, IntegrityChecks>().AddSingleton<OnDemandChecks>();
}
