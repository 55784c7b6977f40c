using System.Security.Claims;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Runs;

namespace BotCore.MigrationPortal.Api;

/// <summary>The data fixes for pipelines: the fixes of this build, and a fix run (or its undo) prepared as the Fixes page's "Prepare fix run" does.</summary>
public static class FixEndpoints
{
    public static RouteGroupBuilder MapFixApi(this RouteGroupBuilder api)
    {
        var fixes = api.MapGroup("/fixes").WithTags("Fixes");
        fixes.MapGet("/", (FixRegistry registry) => registry.Fixes.Select(ApiFix.Of).ToList()).WithName("ListFixes")
            .WithSummary("The data fixes of this build: id, checksum, collection, description and the fields each sets.");
        fixes.MapPost("/{id}/runs", CreateRunAsync).WithName("CreateFixRun").Produces<ApiRun>(StatusCodes.Status201Created)
            .WithSummary("Prepares a run of the fix on 'target' (its undo with 'undo': true) and runs its pre-checks; it is then approved and started as any run.");
        return api;
    }

    private static async Task<IResult> CreateRunAsync(string id, CreateFixRunRequest request, FixRegistry registry, RunService service, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var target = ApiProblems.Required(request.Target, "target");
        var run = await service.CreateFixAsync(ApiCaller.Of(user), target, registry.Get(id), request.Undo ?? false, cancellationToken);
        return TypedResults.Created($"/api/v1/runs/{run.Id}", ApiRun.Of(run));
    }
}
