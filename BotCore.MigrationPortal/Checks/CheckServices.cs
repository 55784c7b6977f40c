using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Checks;

public static class CheckServices
{
    /// <summary>
    /// The integrity checks, a run's post-migration validation and the checks run on demand. One implementation serves both modes:
    /// whether a target is simulated is known per target, and a simulated one is answered as such check by check.
    /// </summary>
    public static IServiceCollection AddIntegrityChecks(this IServiceCollection services, PortalMode mode) =>
        services.AddRunValidation().AddSingleton<OnDemandChecks>();

    /// <summary>The integrity checks and a run's post-migration validation: what the CLI's <c>up</c> and <c>down</c> share with the portal's runs.</summary>
    public static IServiceCollection AddRunValidation(this IServiceCollection services) =>
        services.AddSingleton<IIntegrityChecks, IntegrityChecks>().AddSingleton<PostRunValidator>();
}
