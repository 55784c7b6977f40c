using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using Hangfire;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// <c>/health</c>, without sign-in: the state of the portal store, Hangfire and each target (reachable or not,
/// and why), for load balancers and for a DBA who cannot sign in. No connection strings, no secrets.
/// </summary>
public static class HealthEndpoint
{
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async (IServiceProvider services, PortalMode mode, TargetRegistry targets, JobStorage jobs, CancellationToken cancellationToken) =>
        {
            var store = await CheckStoreAsync(services.GetService<PortalDatabase>(), cancellationToken);
            var servers = CountJobServers(jobs);
            var targetStates = await Task.WhenAll(targets.All.Select(t => CheckTargetAsync(targets, t, cancellationToken)));
            var healthy = store.Ok && servers > 0;
            return Results.Json(new
            {
                status = healthy ? "healthy" : "unhealthy",
                mode = mode.IsSandbox ? "sandbox" : "mongodb",
                store,
                hangfire = new { ok = servers > 0, servers },
                targets = targetStates,
            }, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
        return endpoints;
    }

    // Hangfire's monitoring API throws when its storage is down; health must still answer.
    private static int CountJobServers(JobStorage jobs)
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

    private static async Task<StoreHealth> CheckStoreAsync(PortalDatabase? portal, CancellationToken cancellationToken)
    {
        if (portal is null) return new StoreHealth(true, "in memory (sandbox)");
        try
        {
            await portal.Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return new StoreHealth(true, null);
        }
        catch (Exception e) when (e is TimeoutException or MongoDB.Driver.MongoException)
        {
            return new StoreHealth(false, $"the portal store does not answer ({e.GetType().Name})");
        }
    }

    private static async Task<TargetHealth> CheckTargetAsync(TargetRegistry targets, TargetDescriptor descriptor, CancellationToken cancellationToken)
    {
        try
        {
            var history = await targets.Get(descriptor.Name).ReadHistoryAsync(cancellationToken);
            return new TargetHealth(descriptor.Name, descriptor.Tier.ToString(), true, history.Applied.ToString(), null);
        }
        catch (MigrationEngineException e)
        {
            return new TargetHealth(descriptor.Name, descriptor.Tier.ToString(), false, null, e.Message);
        }
    }

    private sealed record StoreHealth(bool Ok, string? Detail);

    private sealed record TargetHealth(string Name, string Tier, bool Reachable, string? Version, string? Error);
}
