using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotCore.MigrationPortal.Hosting.Health;

/// <summary>Whether a Hangfire server is there to run queued runs and backups, and how many.</summary>
public sealed class JobServersHealthCheck(JobStorage jobs) : IHealthCheck
{
    public const string ServersKey = "servers";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = CountServers();
        var data = new Dictionary<string, object> { [ServersKey] = servers };
        return Task.FromResult(servers > 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy("no Hangfire server is running, so queued runs wait", data: data));
    }

    // Hangfire's monitoring API throws when its storage is down; that is no server either.
    private int CountServers()
    {
        try
        {
            return jobs.GetMonitoringApi().Servers().Count;
        }
        catch (Exception e) when (e is TimeoutException or MongoDB.Driver.MongoException or InvalidOperationException)
        {
            return 0;
        }
    }
}
