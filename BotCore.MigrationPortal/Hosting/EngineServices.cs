using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Authoring;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Sandbox;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotCore.MigrationPortal.Hosting;

public static class EngineServices
{
    /// <summary>The engine and the targets, shared by the web portal and the CLI.</summary>
    public static IServiceCollection AddMigrationEngine(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => MigrationRegistry.FromAssembly(typeof(Migration).Assembly));
        services.AddSingleton<MigrationPlanner>();
        services.AddSingleton<MigrationAuthoringChecks>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<MigrationRehearsal>();
        services.AddSingleton(_ => Fixes.FixRegistry.FromAssembly(typeof(Migration).Assembly));
        services.AddSingleton<Fixes.FixRunner>();
        services.AddSingleton<Fixes.FixOverview>();
        services.AddSingleton<Adoption.BaselineWriter>();
        services.AddSingleton((configuration.GetSection(BatchOptions.Section).Get<BatchOptions>() ?? new BatchOptions()).Validated());
        var lease = (configuration.GetSection(LeaseOptions.Section).Get<LeaseOptions>() ?? new LeaseOptions()).Validated();
        services.AddSingleton(lease);
        services.AddSingleton(ExpandContractOptions.From(configuration));
        services.AddSingleton<ContractGate>();
        if (sandbox)
        {
            services.AddSingleton(provider => SandboxFaults.FromConfiguration(configuration, provider.GetRequiredService<MigrationRegistry>(),
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<SandboxFaults>>()));
        }
        services.AddSingleton(provider => new TargetRegistry(configuration, sandbox, lease,
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>(),
            TimeSpan.FromMilliseconds(configuration.GetValue("Sandbox:StepDelayMilliseconds", 0)), provider.GetRequiredService<MigrationRegistry>(),
            sandbox ? provider.GetRequiredService<SandboxFaults>() : null));
        return services;
    }
}
