using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotCore.MigrationPortal.Tests.Support;

internal static class TestPortal
{
    /// <summary>The sandbox's targets, as the portal's appsettings.json names them: three new ones and the spec scripts' database.</summary>
    public static IReadOnlyDictionary<string, string?> SandboxTargets { get; } = new Dictionary<string, string?>
    {
        ["Sandbox:Targets:dev:Tier"] = "Development",
        ["Sandbox:Targets:staging:Tier"] = "Staging",
        ["Sandbox:Targets:production:Tier"] = "Production",
        ["Sandbox:Targets:legacy:Tier"] = "Production",
        ["Sandbox:Targets:legacy:BuiltBySpecScriptsTo"] = "1.2.0",
    };

    /// <summary>
    /// The whole portal composed by its own <see cref="PortalFeatures.AddPortalFeatures"/> in sandbox mode (targets dev, staging,
    /// production and legacy), with only what a test observes replaced: job queues that record (tests run the jobs as Hangfire
    /// would), an audit log that lists, the test people as the users, and no log output.
    /// </summary>
    /// <param name="settings">Configuration beyond the sandbox targets (a backup folder, a step delay).</param>
    public static IServiceCollection AddTestPortal(this IServiceCollection services, IReadOnlyDictionary<string, string?>? settings = null,
        MigrationRegistry? registry = null)
    {
        var configuration = Configuration(settings);
        services
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddPortalFeatures(configuration, Environment, new PortalMode(IsSandbox: true));
        services
            .AddSingleton<RecordingJobQueue>()
            .Replace(ServiceDescriptor.Singleton<IRunJobQueue>(provider => provider.GetRequiredService<RecordingJobQueue>()))
            .AddSingleton<RecordingBackupJobQueue>()
            .Replace(ServiceDescriptor.Singleton<IBackupJobQueue>(provider => provider.GetRequiredService<RecordingBackupJobQueue>()))
            .AddSingleton<RecordingNotificationQueue>()
            .Replace(ServiceDescriptor.Singleton<INotificationJobQueue>(provider => provider.GetRequiredService<RecordingNotificationQueue>()))
            .AddSingleton<RecordingAuditLog>()
            .Replace(ServiceDescriptor.Singleton<IAuditLog>(provider => provider.GetRequiredService<RecordingAuditLog>()))
            .Replace(ServiceDescriptor.Singleton<IUserStore>(_ => TestPeople.NewStore()));
        if (registry is not null) services.AddSingleton(registry);
        return services;
    }

    public static IConfiguration Configuration(IReadOnlyDictionary<string, string?>? settings = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(SandboxTargets).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();

    /// <summary>Development: cookies without the HTTPS-only flag, as a test host serves plain HTTP.</summary>
    public static IHostEnvironment Environment { get; } = new TestEnvironment();

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "BotCore.MigrationPortal";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
