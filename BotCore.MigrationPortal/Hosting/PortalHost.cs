using BotCore.MigrationPortal.Api;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Components;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting.Health;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Change;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Serilog;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>Composes the web portal: engine, store, features, Blazor, Hangfire, health.</summary>
public static class PortalHost
{
    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        // --sandbox is a switch, not a configuration key: it must not swallow the next argument.
        var builder = WebApplication.CreateBuilder(args.Where(a => a != PortalMode.SandboxSwitch).ToArray());
        var mode = new PortalMode(args.Contains(PortalMode.SandboxSwitch) || builder.Configuration.GetValue<bool>("Portal:Sandbox"));
        // Serves package assets (MudBlazor, the Blazor script) from a build output in any environment, as
        // `dotnet run` and the tests use it; a published app has them copied and has no manifest, so this is a no-op there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSerilog((services, logging) => PortalLogging.Configure(logging.ReadFrom.Services(services), builder.Configuration));
        builder.Services.AddHttpHardening(builder.Configuration);
        PortalBson.Register();

        if (!mode.IsSandbox)
        {
            var options = builder.Configuration.GetSection(PortalStoreOptions.Section).Get<PortalStoreOptions>() ?? new PortalStoreOptions();
            var (database, problem) = await PortalStoreConnection.ConnectAsync(options, cancellationToken);
            if (database is null) return StoreUnavailableApp.Build(builder, $"{problem} Then restart the portal; to look around without MongoDB, start it with --sandbox.");
            builder.Services.AddSingleton(database);
            builder.Services.AddSingleton(options);
            builder.Services.AddDataProtection().SetApplicationName("botcore-migration-portal");
            builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
                new ConfigureOptions<KeyManagementOptions>(keys => keys.XmlRepository = new MongoXmlRepository(provider.GetRequiredService<PortalDatabase>())));
        }

        builder.Services.AddPortalFeatures(builder.Configuration, builder.Environment, mode);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Messages appear at the bottom, not over the app bar and its sign-out, and the same message is not stacked twice.
        builder.Services.AddMudServices(mud =>
        {
            mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            mud.SnackbarConfiguration.PreventDuplicates = true;
            // MudBlazor draws messages 95 % opaque by default, which lets the page show through and drops their contrast below 4.5:1.
            mud.SnackbarConfiguration.MaximumOpacity = 100;
        });
        builder.Services.AddPortalHealthChecks();

        var app = builder.Build();
        app.UseHttpHardening();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UsePortalNotFoundPage();
        app.UseSerilogRequestLogging();
        app.UsePortalSecurity();
        // Styles and scripts are public: the sign-in page needs them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = "'none'");
        app.MapPortalSecurityEndpoints();
        app.MapAuditEndpoints();
        app.MapRunEndpoints();
        app.MapRunChangeEndpoints();
        app.MapBackupEndpoints();
        app.MapApi();
        app.MapPortalHealthChecks();
        await app.Services.PrepareSecurityAsync(mode, cancellationToken);
        return app;
    }
}
