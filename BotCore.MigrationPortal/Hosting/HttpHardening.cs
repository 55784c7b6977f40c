namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// What every response of the portal carries and what it believes of a request: the client address and scheme from a
/// trusted TLS proxy, HSTS once served over HTTPS, and the security headers. (Host filtering needs nothing here:
/// ASP.NET Core applies <c>AllowedHosts</c> before any of this.)
/// </summary>
public static class HttpHardening
{
    public static IServiceCollection AddHttpHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = TrustedProxies.From(configuration);
        services.AddSingleton(proxies);
        services.Configure<ForwardedHeadersOptions>(proxies.ApplyTo);
        // A year, as browsers' preload lists expect; the header is sent only over HTTPS.
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>First in the pipeline, so that logging, sign-in and the audit log see the real client and scheme.</summary>
    public static WebApplication UseHttpHardening(this WebApplication app)
    {
        // Without a configured proxy the middleware would believe anyone's X-Forwarded-* headers.
        if (app.Services.GetRequiredService<TrustedProxies>().Any) app.UseForwardedHeaders();
        // Development runs on http://localhost, where a remembered HSTS would break other local sites.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use((context, next) =>
        {
            // On starting, not now: the exception handler clears the headers of a failed response before it renders the error page.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // Appended: Blazor adds a frame-ancestors policy of its own to some responses, and a browser enforces both.
                headers.Append("Content-Security-Policy", ContentSecurityPolicy.For(ContentSecurityPolicy.NonceOf(context)));
                // For browsers that predate frame-ancestors; DENY, not the SAMEORIGIN antiforgery would set.
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
