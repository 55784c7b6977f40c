using BotCore.MigrationPortal.Security.Tokens;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BotCore.MigrationPortal.Api;

/// <summary>
/// The REST API under <c>/api/v1</c> and its OpenAPI document at <c>/openapi/v1.json</c>: signed in by a personal API token
/// (<c>Authorization: Bearer bcp_…</c>) or by the portal's cookie, errors as problem details, small request bodies.
/// </summary>
public static class ApiServices
{
    public const string Prefix = "/api/v1";
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Picks the token scheme for a request with a bearer token, the cookie otherwise; answers a missing sign-in with 401, never a redirect.</summary>
    public const string Scheme = "PortalApi";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddPolicyScheme(Scheme, "Portal cookie or API token", options =>
        {
            options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme;
            // A pipeline reads a 401 with WWW-Authenticate, not the sign-in page's redirect.
            options.ForwardChallenge = ApiTokenAuthenticationHandler.SchemeName;
            options.ForwardForbid = ApiTokenAuthenticationHandler.SchemeName;
        });
        services.AddAuthorizationBuilder().AddPolicy(Scheme, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddProblemDetails();
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith(Prefix[1..], StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "BotCore Migration Portal API",
                    Version = DocumentName,
                    Description = "Runs, targets, migrations, backups and integrity checks, with the portal's own rules. Send a personal API token " +
                        "(My tokens page) as 'Authorization: Bearer bcp_…'. A token never approves a run: approval is a person's act in the portal.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A personal API token from the My tokens page (bcp_…).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        var maxBytes = app.Configuration.GetValue(ApiRequestGuard.MaxBytesSetting, ApiRequestGuard.DefaultMaxBytes);
        // Problem details for the framework's own answers on the API (a body that is not JSON, an unknown address), not the HTML pages.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Prefix), api => api.UseStatusCodePages().Use(next => ApiRequestGuard.SizeLimit(next, maxBytes)));

        var api = app.MapGroup(Prefix)
            .RequireAuthorization(Scheme)
            // Antiforgery is for forms; a token request has no cookie, and a cookie request changing something needs the API header.
            .DisableAntiforgery()
            .AddEndpointFilterFactory(ApiProblems.Filter)
            .AddEndpointFilter(ApiRequestGuard.CookieChanges)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapTargetApi().MapRunApi().MapBackupApi().MapFixApi();
        // The default route, /openapi/{documentName}.json: DocumentPath.
        app.MapOpenApi().RequireAuthorization(Scheme);
        return app;
    }
}
