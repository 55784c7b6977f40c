using Microsoft.AspNetCore.Diagnostics;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// An address nothing answers gets the portal's own page (in its layout, with a way back) and keeps its 404 status, instead of the
/// browser's bare one. Only such an address: an endpoint that answers 404 itself (a backup manifest that does not exist) keeps
/// its own answer.
/// </summary>
public static class PortalNotFound
{
    public const string Path = "/not-found";

    public static WebApplication UsePortalNotFoundPage(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute(Path, createScopeForStatusCodePages: true);
        // WebApplication routes first, so the endpoint, if any, is known here.
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null && context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return next(context);
        });
        return app;
    }
}
