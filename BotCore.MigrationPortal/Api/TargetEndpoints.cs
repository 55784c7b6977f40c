using System.Security.Claims;
using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs.Overview;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Api;

/// <summary>Targets with their status and drift, the migrations this build knows, and the integrity checks on demand (as the checks page runs them).</summary>
public static class TargetEndpoints
{
    public static RouteGroupBuilder MapTargetApi(this RouteGroupBuilder api)
    {
        var targets = api.MapGroup("/targets").WithTags("Targets");
        targets.MapGet("/", (TargetOverviewService overview) => overview.Targets.Select(ApiTarget.Of).ToList()).WithName("ListTargets")
            .WithSummary("The configured targets with their tier.");
        targets.MapGet("/{name}", StatusAsync).WithName("GetTarget").WithSummary("A target's applied version, its migrations, its drift and its last run.");

        var checks = api.MapGroup("/targets/{name}/checks").WithTags("Checks");
        checks.MapPost("/pre", PreChecksAsync).WithName("RunPreMigrationChecks")
            .WithSummary("Runs every pre-migration check for taking the target to 'to' (the latest version when absent); each run is audited.");
        checks.MapPost("/post", PostChecksAsync).WithName("RunPostMigrationChecks")
            .WithSummary("Runs every post-migration check of the target at its applied version; each run is audited.");

        var migrations = api.MapGroup("/migrations").WithTags("Migrations");
        migrations.MapGet("/", (MigrationRegistry registry) => registry.Migrations.Select(ApiMigration.Of).ToList()).WithName("ListMigrations")
            .WithSummary("The migrations this portal knows, oldest first, with their checksums and steps.");
        migrations.MapGet("/{version}", (string version, MigrationRegistry registry) =>
                ApiMigration.Of(registry.Find(ApiProblems.Version(version, "version")) ?? throw new NotFoundRefusalException($"There is no migration {version}.")))
            .WithName("GetMigration").WithSummary("One migration, with its checksum and steps.");
        return api;
    }

    private static async Task<ApiTargetStatus> StatusAsync(string name, TargetOverviewService overview, CancellationToken cancellationToken) =>
        ApiTargetStatus.Of(await overview.GetAsync(Known(overview, name), cancellationToken));

    private static async Task<ApiCheckReport> PreChecksAsync(string name, string? to, TargetRegistry targets, MigrationRegistry registry, OnDemandChecks onDemand,
        TargetOverviewService overview, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var version = to is null ? registry.Latest : ApiProblems.Version(to, "to");
        if (!registry.IsKnown(version)) throw new ApiFieldException("to", $"'to' is {version}, which this portal has no migration for; it knows up to {registry.Latest}.");
        return await RunAsync(targets.Get(Known(overview, name)), CheckPhase.PreMigration, version, onDemand, user, cancellationToken);
    }

    private static Task<ApiCheckReport> PostChecksAsync(string name, TargetRegistry targets, MigrationRegistry registry, OnDemandChecks onDemand,
        TargetOverviewService overview, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        RunAsync(targets.Get(Known(overview, name)), CheckPhase.PostMigration, registry.Latest, onDemand, user, cancellationToken);

    /// <param name="to">Where the pre-migration checks' plan goes (the post-migration checks' plan ends at the applied version).</param>
    private static async Task<ApiCheckReport> RunAsync(Engine.Ports.IMigrationTarget target, CheckPhase phase, SchemaVersion to, OnDemandChecks onDemand,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // As the checks page and 'check pre|post': a database migrated outside the portal is adopted first.
        var history = await TargetReading.ReadAdoptedAsync(target, cancellationToken);
        var plan = onDemand.PlanFor(phase, history, to);
        var results = (await onDemand.RunPhaseAsync(ApiCaller.Of(user), phase, target, plan, cancellationToken)).Select(ApiCheckResult.Of).ToList();
        return new ApiCheckReport(target.Name, plan.From.ToString(), plan.To.ToString(), !results.Any(r => r.Blocks), results);
    }

    /// <returns>The target's configured name.</returns>
    /// <exception cref="NotFoundRefusalException">No target has that name.</exception>
    private static string Known(TargetOverviewService overview, string name) =>
        overview.Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))?.Name
        ?? throw new NotFoundRefusalException($"There is no target '{name}'. Configured targets: {string.Join(", ", overview.Targets.Select(t => t.Name))}.");
}
