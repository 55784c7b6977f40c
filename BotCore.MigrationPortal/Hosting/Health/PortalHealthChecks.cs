using BotCore.MigrationPortal.Targets;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotCore.MigrationPortal.Hosting.Health;

/// <summary>
/// <c>/health</c>, without sign-in: the portal store and the Hangfire servers (either failing makes the portal unhealthy,
/// 503) and each configured target (an unreachable one only degrades it, 200). No connection strings, no secrets.
/// </summary>
public static class PortalHealthChecks
{
    public const string Path = "/health";
    public const string Store = "store";
    public const string JobServers = "hangfire";

    public static string TargetCheck(string target) => $"target {target}";

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .Add(new HealthCheckRegistration(Store, provider => new PortalStoreHealthCheck(provider.GetService<PortalDatabase>()), HealthStatus.Unhealthy, tags: null))
            .AddCheck<JobServersHealthCheck>(JobServers, HealthStatus.Unhealthy);
        // The targets are known once configuration is read, so their checks are added when the options are built.
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(provider => new ConfigureOptions<HealthCheckServiceOptions>(options =>
        {
            var targets = provider.GetRequiredService<TargetRegistry>();
            foreach (var target in targets.All)
            {
                options.Registrations.Add(new HealthCheckRegistration(TargetCheck(target.Name), _ => new TargetHealthCheck(targets, target), HealthStatus.Degraded, tags: null));
            }
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        return endpoints;
    }
}
