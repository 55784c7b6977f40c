using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Runs.Overview;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>
/// The runs feature composed as in sandbox mode (simulated targets dev, staging and production; in-memory stores),
/// with a job queue that only records and an audit log that only lists, for tests of the run service and its job.
/// </summary>
internal sealed class PortalHarness : IDisposable
{
    private readonly IServiceProvider services;
    private readonly ServiceProvider? owned;

    public PortalHarness(int stepDelayMilliseconds = 0, MigrationRegistry? registry = null)
    {
        owned = new ServiceCollection().AddSandboxRuns(stepDelayMilliseconds, registry).BuildServiceProvider();
        services = owned;
    }

    /// <summary>Over services composed elsewhere with <see cref="PortalHarnessServices.AddSandboxRuns"/> (a bUnit context's); it does not dispose them.</summary>
    public PortalHarness(IServiceProvider services) => this.services = services;

    public static Actor Olga { get; } = new("olga", Role.Operator);
    public static Actor Alice { get; } = new("alice", Role.Approver);
    public static Actor Bob { get; } = new("bob", Role.Approver);
    public static Actor Ada { get; } = new("ada", Role.Admin);
    public static Actor Victor { get; } = new("victor", Role.Viewer);

    public RunService Runs => services.GetRequiredService<RunService>();
    public MigrationRunJob Job => services.GetRequiredService<MigrationRunJob>();
    public RecordingJobQueue Queue => services.GetRequiredService<RecordingJobQueue>();
    public RecordingAuditLog Audit => services.GetRequiredService<RecordingAuditLog>();
    public IRunStore Store => services.GetRequiredService<IRunStore>();
    public RunRepository Repository => services.GetRequiredService<RunRepository>();
    public IRunEventStore Events => services.GetRequiredService<IRunEventStore>();
    public TargetRegistry Targets => services.GetRequiredService<TargetRegistry>();
    public MigrationRegistry Registry => services.GetRequiredService<MigrationRegistry>();

    /// <summary>A second portal build sharing this one's stores and targets, with other migrations (an edited file).</summary>
    public RunService RunsWithRegistry(MigrationRegistry other) =>
        new(services.GetRequiredService<RunRepository>(),
            new PreCheckEvaluator(other, new Engine.Planning.MigrationPlanner(other), Targets, Store, services.GetRequiredService<IBackupService>(),
                services.GetRequiredService<IIntegrityChecks>(), services.GetRequiredService<BackupOptions>(), TimeProvider.System),
            other, new Engine.Planning.MigrationPlanner(other), Targets, Queue, Audit, TimeProvider.System, NullLogger<RunService>.Instance);

    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Creates a run as <paramref name="requester"/> (Olga by default) and ticks the manual items required before approval.</summary>
    public async Task<MigrationRun> ReadyForApprovalAsync(string target, string to, Actor? requester = null)
    {
        requester ??= Olga;
        var run = await Runs.CreateAsync(requester, target, SchemaVersion.Parse(to), Token);
        foreach (var item in run.Checklist.Where(i => ChecklistTemplate.Get(i.ItemId) is { Kind: ItemKind.Manual, Required: true, Phase: ItemPhase.BeforeApproval }))
        {
            run = await Runs.TickAsync(requester, run.Id, item.ItemId, "checked with the team", run.Revision, Token);
        }
        return await BackUpAsync(run, requester);
    }

    /// <summary>"Back up now", with the queued backup job run at once, as Hangfire would.</summary>
    public async Task<MigrationRun> BackUpAsync(MigrationRun run, Actor? requester = null)
    {
        requester ??= Olga;
        await Runs.BackUpAsync(requester, run.Id, run.Revision, Token);
        await services.GetRequiredService<RunBackupJob>().ExecuteAsync(run.Id, requester.Name, requester.Role, Token);
        return await Runs.GetAsync(run.Id, Token);
    }

    /// <summary>Takes a run through approval by Bob to Queued.</summary>
    public async Task<MigrationRun> QueuedAsync(string target, string to)
    {
        var run = await ReadyForApprovalAsync(target, to);
        run = await Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        return await Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
    }

    /// <summary>Runs the queued run's job to its end, as Hangfire would.</summary>
    public async Task<MigrationRun> ExecuteAsync(MigrationRun run)
    {
        await Job.ExecuteAsync(run.Id, null, Token);
        return await Runs.GetAsync(run.Id, Token);
    }

    public void Dispose() => owned?.Dispose();
}

internal static class PortalHarnessServices
{
    /// <summary>
    /// The registrations behind <see cref="PortalHarness"/>: the runs feature as in sandbox mode (targets dev, staging and
    /// production), with a job queue that only records and an audit log that only lists.
    /// </summary>
    public static IServiceCollection AddSandboxRuns(this IServiceCollection services, int stepDelayMilliseconds = 0, MigrationRegistry? registry = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:StepDelayMilliseconds"] = stepDelayMilliseconds.ToString(),
            ["Sandbox:Targets:dev:Tier"] = "Development",
            ["Sandbox:Targets:staging:Tier"] = "Staging",
            ["Sandbox:Targets:production:Tier"] = "Production",
            ["Migrations:Lease:RenewEverySeconds"] = "1",
        }).Build();
        services
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddMigrationEngine(configuration, sandbox: true)
            .AddSingleton<IRunStore, InMemoryRunStore>()
            .AddSingleton<IRunEventStore, InMemoryRunEventStore>()
            .AddSingleton<RunRepository>()
            .AddSingleton<PreCheckEvaluator>()
            .AddSingleton<RunService>()
            .AddSingleton<TargetOverviewService>()
            .AddSingleton<MigrationRunJob>()
            .AddSingleton<RunBackupJob>()
            .AddBackups(configuration, new PortalMode(IsSandbox: true))
            .AddIntegrityChecks(new PortalMode(IsSandbox: true))
            .AddSingleton<RecordingJobQueue>()
            .AddSingleton<IRunJobQueue>(provider => provider.GetRequiredService<RecordingJobQueue>())
            .AddSingleton<RecordingAuditLog>()
            .AddSingleton<IAuditLog>(provider => provider.GetRequiredService<RecordingAuditLog>());
        if (registry is not null) services.AddSingleton(registry);
        return services;
    }
}

internal sealed class RecordingJobQueue : IRunJobQueue
{
    private readonly List<string> enqueued = [];
    private readonly List<(string RunId, Actor By)> backups = [];

    public IReadOnlyList<(string RunId, Actor By)> Backups
    {
        get
        {
            lock (backups) return backups.ToList();
        }
    }

    public string EnqueueBackup(string runId, Actor requestedBy)
    {
        lock (backups)
        {
            backups.Add((runId, requestedBy));
            return $"backup-job-{backups.Count}";
        }
    }

    public IReadOnlyList<string> Enqueued
    {
        get
        {
            lock (enqueued) return enqueued.ToList();
        }
    }

    public string Enqueue(string runId)
    {
        lock (enqueued)
        {
            enqueued.Add(runId);
            return $"job-{enqueued.Count}";
        }
    }
}
