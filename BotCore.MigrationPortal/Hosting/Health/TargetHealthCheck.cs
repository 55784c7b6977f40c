using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotCore.MigrationPortal.Hosting.Health;

/// <summary>
/// Whether one target can be read, and its applied version. An unreachable target makes the portal degraded, not
/// unhealthy: the portal still works (for the other targets), so a load balancer must keep sending it people. A database
/// built outside the portal and not adopted yet is healthy: it answers, and adopting it is a DBA's act, not an outage.
/// </summary>
public sealed class TargetHealthCheck(TargetRegistry targets, TargetDescriptor target) : IHealthCheck
{
    public const string VersionKey = "version";
    public const string AdoptedKey = "adopted";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var reading = await TargetReading.ReadAsync(targets.Get(target.Name), cancellationToken);
            var data = new Dictionary<string, object> { [AdoptedKey] = reading.NotAdopted is null };
            // Several version documents name no one version: adoption settles which.
            if (reading.History is { } history) data[VersionKey] = history.Applied.ToString();
            return HealthCheckResult.Healthy(reading.NotAdopted is { } need ? $"not adopted: {need}" : null, data);
        }
        catch (MigrationEngineException e)
        {
            // The engine's messages name the target by host and database, never by its connection string.
            return HealthCheckResult.Degraded(e.Message);
        }
    }
}
