using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs.Change;

public static class RunChangeServices
{
    public static IServiceCollection AddRunChange(this IServiceCollection services) => services.AddSingleton<RunChangeService>();

    /// <summary>
    /// <c>GET /runs/{id}/mongosh/up.js</c> (or <c>down.js</c>): the run's commands as a mongosh script, for a signed-in person; each
    /// download is audited, a refusal too (the person disabled meanwhile).
    /// </summary>
    public static IEndpointRouteBuilder MapRunChangeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/runs/{id}/mongosh/{direction}.js", async (string id, string direction, HttpContext context, RunChangeService change,
            CancellationToken cancellationToken) =>
        {
            if (ScriptPath.Direction(direction) is not { } which) return Results.NotFound();
            try
            {
                var script = await change.ExportAsync(PortalPrincipal.CallerOf(context.User), id, which, cancellationToken);
                if (script is null) return Results.NotFound();
                return Results.File(System.Text.Encoding.UTF8.GetBytes(script.Content), MongoshScriptFile.ContentType, script.FileName);
            }
            catch (ActionRefusedException e)
            {
                return Results.Problem(title: "The script cannot be downloaded.", detail: e.Message, statusCode: StatusCodes.Status403Forbidden);
            }
        }).RequireAuthorization();
        return endpoints;
    }
}

/// <summary>Where a run's script is downloaded: one place for the endpoint and the page's links.</summary>
public static class ScriptPath
{
    public static string Of(string runId, Direction direction) => $"runs/{Uri.EscapeDataString(runId)}/mongosh/{direction.Name()}.js";

    public static Direction? Direction(string name) => name switch
    {
        "up" => Engine.Planning.Direction.Up,
        "down" => Engine.Planning.Direction.Down,
        _ => null,
    };
}
