using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Hosting.Health;

/// <summary>Whether the portal store answers a ping; in sandbox mode there is none to ask (<paramref name="portal"/> is null).</summary>
public sealed class PortalStoreHealthCheck(PortalDatabase? portal) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (portal is null) return HealthCheckResult.Healthy("in memory (sandbox)");
        try
        {
            await portal.Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is TimeoutException or MongoDB.Driver.MongoException)
        {
            // The exception type, never its message: a driver message can repeat the connection string.
            return HealthCheckResult.Unhealthy($"the portal store does not answer ({e.GetType().Name})");
        }
    }
}
