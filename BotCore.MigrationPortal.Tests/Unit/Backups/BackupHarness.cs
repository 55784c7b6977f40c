using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>
/// The backups feature composed as the portal composes it (<see cref="BackupServices.AddBackups"/>), over simulated targets
/// dev, staging and production or over one MongoDB target "it", with backups in a temporary folder, an in-memory event
/// store, an audit log that lists and a job queue that only records (a test runs the jobs when it wants).
/// </summary>
internal sealed class BackupHarness : IDisposable
{
    private readonly ServiceProvider? owned;
    private readonly IServiceProvider services;

    /// <param name="settings">Configuration beyond the backup settings (another simulated target).</param>
    public BackupHarness(string? mongoConnectionString = null, string? mongoDatabase = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        owned = new ServiceCollection().AddBackupTestServices(Path.Combine(Path.GetTempPath(), "botcore-backup-tests", Guid.NewGuid().ToString("N")),
            mongoConnectionString, mongoDatabase, settings).BuildServiceProvider();
        services = owned;
    }

    /// <summary>Over services composed elsewhere with <see cref="BackupTestServices.AddBackupTestServices"/> (a bUnit context's); it does not dispose them.</summary>
    public BackupHarness(IServiceProvider services) => this.services = services;

    /// <summary>The whole portal composed as <see cref="TestPortal"/> composes it, for what a scenario needs beyond backups.</summary>
    public IServiceProvider Services => services;

    public IBackupService Backups => services.GetRequiredService<IBackupService>();
    public BackupRequests Requests => services.GetRequiredService<BackupRequests>();
    public BackupRestorer Restorer => services.GetRequiredService<BackupRestorer>();
    public BackupStore Store => services.GetRequiredService<BackupStore>();
    public BackupJobs Jobs => services.GetRequiredService<BackupJobs>();
    public TargetRegistry Targets => services.GetRequiredService<TargetRegistry>();
    public RecordingAuditLog Audit => services.GetRequiredService<RecordingAuditLog>();
    public RecordingBackupJobQueue Queue => services.GetRequiredService<RecordingBackupJobQueue>();
    public IRunEventStore Events => services.GetRequiredService<IRunEventStore>();
    public string Location => Store.Paths.Root;

    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Takes a target to <paramref name="version"/> with the engine, as a run would.</summary>
    public async Task MigrateAsync(string target, string version)
    {
        var result = await new EngineHarness().MigrateAsync(Targets.Get(target), version, cancellationToken: Token);
        Assert.True(result.Succeeded, result.Error);
    }

    /// <summary>Runs the jobs queued so far, as Hangfire would.</summary>
    public Task RunQueuedJobsAsync() => Queue.RunAsync(Jobs, Token);

    public void Dispose()
    {
        var location = Location;
        owned?.Dispose();
        if (Directory.Exists(location)) Directory.Delete(location, recursive: true);
    }
}

internal static class BackupTestServices
{
    /// <summary>Backups in <paramref name="location"/>, with a short retention and small insert batches.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(string location) => new Dictionary<string, string?>
    {
        ["Backups:Location"] = location,
        ["Backups:KeepDays"] = "30",
        ["Backups:KeepPerTarget"] = "3",
        ["Backups:InsertBatchSize"] = "100",
    };

    /// <summary>
    /// The portal by its own composition (<see cref="TestPortal.AddTestPortal"/>) with backups in <paramref name="location"/>; with a MongoDB
    /// connection string, the targets are the one MongoDB target <c>it</c> instead of the simulated ones.
    /// </summary>
    public static IServiceCollection AddBackupTestServices(this IServiceCollection services, string location, string? mongoConnectionString = null,
        string? mongoDatabase = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        services.AddTestPortal(Settings(location).Concat(settings ?? new Dictionary<string, string?>()).ToDictionary());
        if (mongoConnectionString is null) return services;
        // The portal's own engine registration again, this time for real targets: its target registry replaces the simulated one.
        return services.AddMigrationEngine(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Targets:it:ConnectionString"] = mongoConnectionString,
            ["Targets:it:Database"] = mongoDatabase,
            ["Targets:it:Tier"] = "Development",
        }).Build(), sandbox: false);
    }
}

/// <summary>A job queue that keeps what was queued; <see cref="RunAsync"/> runs it as Hangfire would.</summary>
internal sealed class RecordingBackupJobQueue : IBackupJobQueue
{
    private readonly List<(string Description, Func<BackupJobs, CancellationToken, Task> Job)> queued = [];
    private readonly List<string> all = [];

    /// <summary>Every job queued so far, as "kind operation-id argument".</summary>
    public IReadOnlyList<string> Queued
    {
        get
        {
            lock (queued) return all.ToList();
        }
    }

    public string EnqueueBackup(string operationId, string target, Actor requestedBy) =>
        Add($"backup {operationId} {target}", (jobs, token) => jobs.BackUpDatabaseAsync(operationId, target, requestedBy.Name, null, token));

    public string EnqueueVerify(string operationId, string backupId, Actor requestedBy) =>
        Add($"verify {operationId} {backupId}", (jobs, token) => jobs.VerifyAsync(operationId, backupId, requestedBy.Name, null, token));

    public string EnqueueRestore(string operationId, string backupId, string confirmation, Actor requestedBy) =>
        Add($"restore {operationId} {confirmation}",
            (jobs, token) => jobs.RestoreAsync(operationId, backupId, confirmation, requestedBy.Name, null, token));

    public async Task RunAsync(BackupJobs jobs, CancellationToken cancellationToken)
    {
        List<Func<BackupJobs, CancellationToken, Task>> pending;
        lock (queued)
        {
            pending = queued.Select(q => q.Job).ToList();
            queued.Clear();
        }
        foreach (var job in pending) await job(jobs, cancellationToken);
    }

    private string Add(string description, Func<BackupJobs, CancellationToken, Task> job)
    {
        lock (queued)
        {
            queued.Add((description, job));
            all.Add(description);
            return $"job-{all.Count}";
        }
    }
}
