using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Targets.Sandbox;

public static class SandboxFaultServices
{
    /// <summary>
    /// The dashboard's sandbox faults control, in a sandbox portal only (the faults themselves come with the simulated targets,
    /// in <see cref="Hosting.EngineServices.AddMigrationEngine"/>).
    /// </summary>
    public static IServiceCollection AddSandboxFaultControl(this IServiceCollection services, PortalMode mode) =>
        mode.IsSandbox ? services.AddSingleton<SandboxFaultChoices>().AddSingleton<SandboxFaultRequests>() : services;
}
