using System.Net;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// What the portal serves when its store is unreachable at start-up: every address explains what is wrong and
/// how to fix it, and <c>/health</c> reports it, instead of a crash or a silent switch to sandbox mode.
/// </summary>
public static class StoreUnavailableApp
{
    public static WebApplication Build(WebApplicationBuilder builder, string problem)
    {
        var app = builder.Build();
        app.UseHttpHardening();
        app.Logger.LogError("Portal store unavailable: {Problem}", problem);
        app.MapGet("/health", () => Results.Json(new { status = "unhealthy", store = new { ok = false, error = problem } }, statusCode: 503));
        app.MapFallback(() => Results.Content(
            $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>BotCore Migration Portal: store unavailable</title></head>
            <body style="font-family: sans-serif; max-width: 48rem; margin: 4rem auto; line-height: 1.5">
            <h1>The portal cannot start its work</h1>
            <p>{WebUtility.HtmlEncode(problem)}</p>
            <p>Nothing was changed in any database.</p>
            </body></html>
            """, "text/html", statusCode: 503));
        return app;
    }
}
