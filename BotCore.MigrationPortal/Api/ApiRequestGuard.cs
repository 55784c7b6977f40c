using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Http.Features;

namespace BotCore.MigrationPortal.Api;

/// <summary>What every API request must respect before an endpoint reads it: a small body, and no cookie-driven change without the API header.</summary>
public static class ApiRequestGuard
{
    /// <summary>
    /// The header a same-origin script sends to change something with the portal's cookie. A form on another site cannot set a
    /// header, and a script there cannot send one without a CORS preflight the portal never grants, so the header proves the call
    /// comes from the portal's own origin (on top of the cookie's SameSite=Strict). Tokens need no header: a browser never adds them.
    /// </summary>
    public const string CookieHeader = "X-BotCore-Api";

    public const string MaxBytesSetting = "Portal:Api:MaxRequestBytes";

    /// <summary>The requests are a few fields: 16 KiB leaves room for a long comment and refuses anything that is not a request.</summary>
    public const long DefaultMaxBytes = 16 * 1024;

    /// <summary>Refuses a body over the limit (413) before anything reads it, and caps a body of unknown length where the server can.</summary>
    public static RequestDelegate SizeLimit(RequestDelegate next, long maxBytes) => context =>
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"The request body has {context.Request.ContentLength:N0} bytes; the API accepts at most {maxBytes:N0}.").ExecuteAsync(context);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        return next(context);
    };

    /// <summary>A state-changing request authenticated by the cookie must carry <see cref="CookieHeader"/> (see there why).</summary>
    public static async ValueTask<object?> CookieChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !ApiCaller.ViaToken(http.User)
            && !http.Request.Headers.ContainsKey(CookieHeader))
        {
            await http.RequestServices.GetRequiredService<IAuditLog>().RecordAsync(new AuditRecord(http.User.Identity?.Name ?? "",
                PortalPrincipal.RoleOf(http.User)?.ToString() ?? "none", AuditActions.ActionRefused, null, null,
                $"tried to {http.Request.Method} {http.Request.Path} with the portal's cookie and without the {CookieHeader} header"), http.RequestAborted);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Refused",
                detail: $"A change through the API with the portal's cookie needs the header '{CookieHeader}: 1' (it shows the call comes from the portal's own pages). " +
                    "A pipeline uses a personal API token instead (My tokens page).");
        }
        return await next(context);
    }
}
