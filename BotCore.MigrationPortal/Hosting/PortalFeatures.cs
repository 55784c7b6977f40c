using BotCore.MigrationPortal.Api;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Change;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets.Sandbox;

namespace BotCore.MigrationPortal.Hosting;

public static class PortalFeatures
{
    /// <summary>
    /// Every feature of the portal (engine and targets, security, audit log, runs with their jobs, backups, integrity checks, the targets' doctor),
    /// as the web portal composes them. Test hosts call this same method and replace only what a test must observe (a job
    /// queue that records, an audit log that lists), so that a feature's new dependency can never be missing from a test host.
    /// </summary>
    public static IServiceCollection AddPortalFeatures(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment,
        PortalMode mode) =>
        services
            .AddSingleton(mode)
            .AddMigrationEngine(configuration, mode.IsSandbox)
            .AddPortalSecurity(configuration, environment, mode)
            .AddAuditLog(mode)
            .AddRuns(configuration, mode)
            .AddPerformanceWatch(configuration)
            .AddRunChange()
            .AddBackups(configuration, mode)
            .AddSingleton(new Emergency.EmergencyContacts(configuration))
            .AddIntegrityChecks(mode)
            .AddTargetDoctor()
            .AddSandboxFaultControl(mode)
            .AddApi()
            .AddNotifications(configuration, mode);
}
