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
/// The runs feature composed as in sandbox mode (simulated targets dev, staging, production and legacy; in-memory stores),
/// with a job queue that only records and an audit log that only lists, for tests of the run service and its job.
/// </summary>
internal sealed class PortalHarness : IDisposable
{
    private readonly IServiceProvider services;
    private readonly ServiceProvider? owned;

    /// <param name="settings">Configuration beyond the sandbox targets (a target's setting, a sandbox fault).</param>
    public PortalHarness(int stepDelayMilliseconds = 0, MigrationRegistry? registry = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        owned = new ServiceCollection().AddSandboxRuns(settings, stepDelayMilliseconds, registry).BuildServiceProvider();
        services = owned;
    }

    public IServiceProvider Services => services;

    /// <summary>Over services composed elsewhere with <see cref="PortalHarnessServices.AddSandboxRuns"/> (a bUnit context's); it does not dispose them.</summary>
    public PortalHarness(IServiceProvider services) => this.services = services;

    public static TestPerson Olga => TestPeople.Olga;
    public static TestPerson Alice => TestPeople.Alice;
    public static TestPerson Bob => TestPeople.Bob;
    public static TestPerson Ada => TestPeople.Ada;
    public static TestPerson Victor => TestPeople.Victor;

    public RunService Runs => services.GetRequiredService<RunService>();
    public MigrationRunJob Job => services.GetRequiredService<MigrationRunJob>();
    public RecordingJobQueue Queue => services.GetRequiredService<RecordingJobQueue>();
    public RecordingAuditLog Audit => services.GetRequiredService<RecordingAuditLog>();
    public IRunStore Store => services.GetRequiredService<IRunStore>();
    public RunRepository Repository => services.GetRequiredService<RunRepository>();
    public IRunEventStore Events => services.GetRequiredService<IRunEventStore>();
    public TargetRegistry Targets => services.GetRequiredService<TargetRegistry>();
    public IUserStore Users => services.GetRequiredService<IUserStore>();
    public MigrationRegistry Registry => services.GetRequiredService<MigrationRegistry>();

    /// <summary>A second portal build sharing this one's stores and targets, with other migrations (an edited file).</summary>
    public RunService RunsWithRegistry(MigrationRegistry other) =>
        new(services.GetRequiredService<RunRepository>(),
            new PreCheckEvaluator(other, new Engine.Planning.MigrationPlanner(other), Targets, Store, services.GetRequiredService<IBackupService>(),
                services.GetRequiredService<IIntegrityChecks>(), new Adoption.AdoptionPreChecks(other, Targets), services.GetRequiredService<BackupOptions>(),
                TimeProvider.System, services.GetRequiredService<Fixes.FixPreChecks>()),
            other, new Engine.Planning.MigrationPlanner(other), Targets, services.GetRequiredService<IBackupService>(), Queue,
            services.GetRequiredService<ActionAuthorizer>(), Audit, TimeProvider.System, NullLogger<RunService>.Instance,
            services.GetRequiredService<Notifications.INotificationStore>());

    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Creates a run as <paramref name="requester"/> (Olga by default) and ticks the manual items required before approval.</summary>
    public async Task<MigrationRun> ReadyForApprovalAsync(string target, string to, TestPerson? requester = null) =>
        await ReadyForApprovalAsync(await Runs.CreateAsync(requester ?? Olga, target, SchemaVersion.Parse(to), Token), requester);

    /// <summary>Ticks the manual items required before approval of <paramref name="run"/> as <paramref name="requester"/> (Olga by default) and backs it up.</summary>
    public async Task<MigrationRun> ReadyForApprovalAsync(MigrationRun run, TestPerson? requester = null)
    {
        requester ??= Olga;
        foreach (var item in run.Checklist.Where(i => ChecklistTemplate.Get(i.ItemId) is { Kind: ItemKind.Manual, Required: true, Phase: ItemPhase.BeforeApproval }))
        {
            run = await Runs.TickAsync(requester, run.Id, item.ItemId, "checked with the team", run.Revision, Token);
        }
        return await BackUpAsync(run, requester);
    }

    /// <summary>"Back up now" (the run's default scope unless <paramref name="scope"/> says), with the queued backup job run at once, as Hangfire would.</summary>
    public async Task<MigrationRun> BackUpAsync(MigrationRun run, TestPerson? requester = null, BackupScope? scope = null)
    {
        requester ??= Olga;
        await Runs.BackUpAsync(requester, run.Id, scope, run.Revision, Token);
        await services.GetRequiredService<RunBackupJob>().ExecuteAsync(run.Id, run.Target, requester.Name, Queue.Backups[^1].Scope, Token);
        return await Runs.GetAsync(run.Id, Token);
    }

    /// <summary>Takes a run through approval by Bob to Queued.</summary>
    public async Task<MigrationRun> QueuedAsync(string target, string to)
    {
        var run = await ReadyForApprovalAsync(target, to);
        run = await Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        return await Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
    }

    /// <summary>
    /// A run that took <paramref name="target"/> from <paramref name="from"/> to <paramref name="to"/> (the engine recorded each migration
    /// under the run's id) and then failed, say in its validation, leaving its changes in place: what an emergency rollback is for.
    /// </summary>
    public async Task<MigrationRun> FailedRunLeftAppliedAsync(string target, string from, string to)
    {
        var live = Targets.Get(target);
        var engine = new EngineHarness(Registry);
        if (from != SchemaVersion.Zero.ToString()) Assert.True((await engine.MigrateAsync(live, from, cancellationToken: Token)).Succeeded);
        var failed = new MigrationRun
        {
            Id = $"run-failed-{target}", Target = target, Tier = live.Tier, From = SchemaVersion.Parse(from), To = SchemaVersion.Parse(to),
            Checksums = [], RequestedBy = Olga.Name, State = RunState.Failed, Error = "Post-migration validation failed.",
            FinishedAt = DateTime.UtcNow,
        };
        var plan = engine.Planner.Plan(failed.From, failed.To, await live.ReadHistoryAsync(Token));
        var applied = await engine.Runner.RunAsync(live, plan, new Engine.Running.RunRequest(failed.Id, Olga.Name, new Engine.Batching.BatchOptions(100, 0)),
            new RecordingProgress(), Token);
        Assert.True(applied.Succeeded, applied.Error);
        Assert.Null(await Store.TryInsertAsync(failed, Token));
        return failed;
    }

    /// <summary>Runs the queued run's job to its end, as Hangfire would (the queue picks the job by the run's kind).</summary>
    public async Task<MigrationRun> ExecuteAsync(MigrationRun run)
    {
        if (run.Kind == RunKind.Baseline) await services.GetRequiredService<Adoption.BaselineRunJob>().ExecuteAsync(run.Id, jobId: null);
        else if (run.Kind is RunKind.Fix or RunKind.FixUndo) await services.GetRequiredService<Fixes.FixRunJob>().ExecuteAsync(run.Id, jobId: null);
        else await Job.ExecuteAsync(run.Id, jobId: null);
        return await Runs.GetAsync(run.Id, Token);
    }

    public void Dispose() => owned?.Dispose();
}

internal static class PortalHarnessServices
{
    /// <summary>
    /// The registrations behind <see cref="PortalHarness"/>: the whole portal by its own composition (<see cref="TestPortal.AddTestPortal"/>),
    /// with the simulated targets stepping <paramref name="stepDelayMilliseconds"/> apart.
    /// </summary>
    /// <param name="settings">More configuration (a backup folder).</param>
    public static IServiceCollection AddSandboxRuns(this IServiceCollection services, IReadOnlyDictionary<string, string?>? settings = null,
        int stepDelayMilliseconds = 0, MigrationRegistry? registry = null) =>
        services.AddTestPortal(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Sandbox:StepDelayMilliseconds"] = stepDelayMilliseconds.ToString(),
            ["Migrations:Lease:RenewEverySeconds"] = "1",
        }, registry);
}

internal sealed class RecordingJobQueue : IRunJobQueue
{
    private readonly List<string> enqueued = [];
    private readonly List<(string RunId, Actor By, BackupScope Scope)> backups = [];

    public IReadOnlyList<(string RunId, Actor By, BackupScope Scope)> Backups
    {
        get
        {
            lock (backups) return backups.ToList();
        }
    }

    public string EnqueueBackup(MigrationRun run, Actor requestedBy, BackupScope scope)
    {
        lock (backups)
        {
            backups.Add((run.Id, requestedBy, scope));
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

    public string Enqueue(MigrationRun run)
    {
        lock (enqueued)
        {
            enqueued.Add(run.Id);
            return $"job-{enqueued.Count}";
        }
    }

    private readonly List<ScheduledJob> scheduled = [];

    /// <summary>Every scheduled start, with whether it was deleted since: the ones not deleted are what Hangfire would still start.</summary>
    public IReadOnlyList<ScheduledJob> Scheduled
    {
        get
        {
            lock (scheduled) return scheduled.ToList();
        }
    }

    public IReadOnlyList<ScheduledJob> StillScheduled => Scheduled.Where(job => !job.Deleted).ToList();

    public string Schedule(MigrationRun run, DateTimeOffset at)
    {
        lock (scheduled)
        {
            var job = new ScheduledJob($"scheduled-{scheduled.Count + 1}", run.Id, at, Deleted: false);
            scheduled.Add(job);
            return job.JobId;
        }
    }

    public bool Unschedule(string jobId)
    {
        lock (scheduled)
        {
            var at = scheduled.FindIndex(job => job.JobId == jobId && !job.Deleted);
            if (at < 0) return false;
            scheduled[at] = scheduled[at] with { Deleted = true };
            return true;
        }
    }
}

internal sealed record ScheduledJob(string JobId, string RunId, DateTimeOffset At, bool Deleted);
