using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotCore.MigrationPortal.Hosting.Health;

/// <summary>
/// Whether one target can be read, and its applied version. An unreachable target makes the portal degraded, not
/// unhealthy: the portal still works (for the other targets), so a load balancer must keep sending it people.
/// </summary>
public sealed class TargetHealthCheck(TargetRegistry targets, TargetDescriptor target) : IHealthCheck
{
    public const string VersionKey = "version";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var history = await targets.Get(target.Name).ReadHistoryAsync(cancellationToken);
            return HealthCheckResult.Healthy(data: new Dictionary<string, object> { [VersionKey] = history.Applied.ToString() });
        }
        catch (MigrationEngineException e)
        {
            // The engine's messages name the target by host and database, never by its connection string.
            return HealthCheckResult.Degraded(e.Message);
        }
    }
}
