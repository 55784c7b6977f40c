using BotCore.MigrationPortal.Targets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotCore.MigrationPortal.Hosting.Health;

/// <summary>
/// The body of <c>/health</c>. Anyone gets the status alone, which is all a load balancer needs; a signed-in user
/// gets the state of the store, Hangfire and each target, which also tells an outsider the portal's layout.
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var status = report.Status == HealthStatus.Unhealthy ? "unhealthy" : "healthy";
        var cancellationToken = context.RequestAborted;
        if (context.User.Identity?.IsAuthenticated != true) return context.Response.WriteAsJsonAsync(new { status }, cancellationToken);

        var store = report.Entries[PortalHealthChecks.Store];
        var hangfire = report.Entries[PortalHealthChecks.JobServers];
        var mode = context.RequestServices.GetRequiredService<PortalMode>();
        return context.Response.WriteAsJsonAsync(new
        {
            status,
            mode = mode.IsSandbox ? "sandbox" : "mongodb",
            store = new { ok = store.Status == HealthStatus.Healthy, detail = Problem(store) ?? store.Description },
            hangfire = new { ok = hangfire.Status == HealthStatus.Healthy, servers = hangfire.Data.GetValueOrDefault(JobServersHealthCheck.ServersKey, 0) },
            targets = context.RequestServices.GetRequiredService<TargetRegistry>().All.Select(target =>
            {
                var entry = report.Entries[PortalHealthChecks.TargetCheck(target.Name)];
                var reachable = entry.Status == HealthStatus.Healthy;
                return new
                {
                    name = target.Name,
                    tier = target.Tier.ToString(),
                    reachable,
                    version = entry.Data.GetValueOrDefault(TargetHealthCheck.VersionKey),
                    adopted = entry.Data.GetValueOrDefault(TargetHealthCheck.AdoptedKey),
                    error = reachable ? null : Problem(entry) ?? entry.Description,
                };
            }),
        }, cancellationToken);
    }

    // A check that threw (or timed out) is reported by the exception's type: its message may hold what must not be shown.
    private static string? Problem(HealthReportEntry entry) =>
        entry.Exception is { } e ? $"could not be checked ({e.GetType().Name})" : null;
}
