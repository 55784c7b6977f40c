using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Integration.Runs;

/// <summary>
/// The DBA workflow in a portal host composed by the portal's own <see cref="PortalFeatures.AddPortalFeatures"/>, its jobs run by
/// its Hangfire server: on both backends (<see cref="ScenarioBackends"/>), the sandbox with Hangfire.InMemory and a simulated target,
/// MongoDB with the portal store, Hangfire.Mongo and the target all in MongoDB (skipped, with the reason, where there is none).
/// </summary>
public sealed class RunWorkflowIntegrationTests(MongoFixture mongo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task A_run_approved_in_the_portal_is_backed_up_executes_through_Hangfire_and_validates(string backend)
    {
        await using var portal = await StartPortalHostAsync(backend);
        var (host, target) = (portal.Host, portal.Target);
        var runs = host.Services.GetRequiredService<RunService>();

        var run = await AwaitingApprovalAsync(runs, target, "1.3.0");
        run = await runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
        Assert.Equal(RunState.Queued, run.State);

        var finished = await WaitUntilAsync(runs, run.Id, r => RunStateMachine.IsFinished(r.State) || r.State == RunState.Failed, "it finishes");

        Assert.Equal(RunState.Succeeded, finished.State);
        Assert.False(string.IsNullOrEmpty(finished.JobId));
        Assert.All(finished.Validation, v => Assert.True(v.Passed, v.Summary));
        Assert.Empty(CatalogDiff.Between(host.Services.GetRequiredService<MigrationRegistry>().ExpectedCatalogAt(SchemaVersion.Parse("1.3.0")),
            await host.Services.GetRequiredService<TargetRegistry>().Get(target).ReadCatalogAsync(Token)));
        var events = await host.Services.GetRequiredService<IRunEventStore>().ReadAsync(run.Id, 0, Token);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Contains(events, e => e.Event.Kind == RunEventKind.RunFinished && e.Event.Passed == true);
        Assert.Contains(await host.Services.GetRequiredService<IBackupService>().ListAsync(Token), b => b.RunId == run.Id && b.IsVerified);
        Assert.Equal(RunState.Succeeded, (await host.Services.GetRequiredService<IRunStore>().FindAsync(run.Id, Token))!.State);
    }

    /// <summary>
    /// A run scheduled a few seconds ahead is started by the host's Hangfire server at its time (Hangfire.InMemory's schedule in the
    /// sandbox, polled every second there), executed by the run's own job, and ends Succeeded with the schedule as its maintenance window.
    /// </summary>
    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task A_run_scheduled_a_few_seconds_ahead_is_started_by_the_job_system_at_its_time_and_succeeds(string backend)
    {
        await using var portal = await StartPortalHostAsync(backend);
        var runs = portal.Host.Services.GetRequiredService<RunService>();
        var run = await AwaitingApprovalAsync(runs, portal.Target, "1.0.0");
        run = await runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: false, Token);
        // Whole seconds, as Hangfire keeps a scheduled time (and as the page picks it, to the minute).
        var soon = DateTime.UtcNow.AddSeconds(3);
        var at = soon.AddTicks(-(soon.Ticks % TimeSpan.TicksPerSecond));

        run = await runs.ScheduleAsync(Olga, run.Id, at, null, run.Revision, Token);
        Assert.Equal(RunState.Approved, run.State);
        var finished = await WaitUntilAsync(runs, run.Id, r => RunStateMachine.IsFinished(r.State) || r.State == RunState.Failed, "its scheduled start ran it");

        Assert.Equal(RunState.Succeeded, finished.State);
        Assert.True(finished.StartedAt >= at, $"started at {finished.StartedAt:O}, scheduled for {at:O}");
        Assert.Null(finished.Schedule);
        Assert.Equal(ItemStatus.Passed, finished.Item(ChecklistTemplate.MaintenanceWindow)!.Status);
        var events = await portal.Host.Services.GetRequiredService<IRunEventStore>().ReadAsync(run.Id, 0, Token);
        Assert.Contains(events, e => e.Event.Message.StartsWith("Started as scheduled", StringComparison.Ordinal));
    }

    /// <summary>
    /// A run's validation fails after its steps succeeded: in the sandbox a fault armed on a critical query's check fails it; on MongoDB
    /// that query really is answered by no index of its own, since a DBA hid the index after the run was approved. listIndexes still
    /// lists a hidden index, with <c>hidden: true</c>, which the portal's catalog does not read, so no catalog check notices; validate
    /// checks hidden indexes like any other. Either way the run's job rolls it back at once, and its state and events say so.
    /// </summary>
    [Theory]
    [InlineData(ScenarioBackends.Sandbox)]
    [InlineData(ScenarioBackends.MongoDb)]
    public async Task A_run_whose_validation_fails_is_rolled_back_by_its_job_and_its_state_and_events_say_so(string backend)
    {
        await using var portal = await StartPortalHostAsync(backend);
        var (host, target) = (portal.Host, portal.Target);
        var runs = host.Services.GetRequiredService<RunService>();
        var targets = host.Services.GetRequiredService<TargetRegistry>();
        var registry = host.Services.GetRequiredService<MigrationRegistry>();
        Assert.True((await new EngineHarness(registry).MigrateAsync(targets.Get(target), "1.0.0", cancellationToken: Token)).Succeeded);
        var run = await AwaitingApprovalAsync(runs, target, "1.1.0");
        run = await runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: false, Token);

        if (portal.Database is { } database)
        {
            await database.RunCommandAsync<BsonDocument>(new BsonDocument
            {
                { "collMod", "trades" }, { "index", new BsonDocument { { "name", "idx_trades_user_created" }, { "hidden", true } } },
            }, cancellationToken: Token);
        }
        else
        {
            host.Services.GetRequiredService<SandboxFaults>().Arm(target, new SandboxFaultSet(PostCheck: "post.explain:1.0.0#1"), "ada");
        }
        run = await runs.StartAsync(Olga, run.Id, run.Revision, Token);
        var finished = await WaitUntilAsync(runs, run.Id, r => RunStateMachine.IsFinished(r.State) || r.State == RunState.Failed, "it finishes");

        Assert.Equal(RunState.RolledBack, finished.State);
        Assert.True(finished.RollBackOnFailedValidation);
        Assert.Equal([RunState.Running, RunState.Validating, RunState.RollingBack, RunState.RolledBack], finished.Transitions.Select(t => t.To).TakeLast(4));
        Assert.StartsWith("Post-migration validation failed: 'Critical query uses an index: a user's latest trades (trades)': ", finished.Error);
        Assert.Contains("Rolled back at once, as the target's setting says", finished.Error);
        if (portal.Database is not null)
        {
            // Not a COLLSCAN: with its own index hidden no index serves the filter on user_id, so the planner plans only the scan of
            // idx_trades_ttl { created_at: 1 } backwards, which gives the sort; it adds a collection scan only where no index plan
            // exists (mongo's src/mongo/db/query/query_planner.cpp, QueryPlanner::plan, "collScanRequired = out.empty()").
            Assert.Contains("answered by idx_trades_ttl, not by idx_trades_user_created", finished.Error);
        }
        var live = targets.Get(target);
        var history = await live.ReadHistoryAsync(Token);
        Assert.Equal(SchemaVersion.Parse("1.0.0"), history.Applied);
        Assert.Equal((ChangelogEntry.RolledBack, "1.1.0", run.Id), (history.Changelog[^1].Status, history.Changelog[^1].Version, history.Changelog[^1].RunId));
        var atStart = registry.ExpectedCatalogAt(SchemaVersion.Parse("1.0.0"));
        Assert.Empty(CatalogDiff.Between(atStart, (await live.ReadCatalogAsync(Token)).LeftBehindRemoved(atStart)));
        var events = (await host.Services.GetRequiredService<IRunEventStore>().ReadAsync(run.Id, 0, Token)).Select(e => e.Event).ToList();
        Assert.Contains(events, e => e is { Kind: RunEventKind.Validation, Passed: false } && e.Message.StartsWith("Critical query uses an index: a user's latest trades"));
        Assert.Contains(events, e => e is { Kind: RunEventKind.RollbackFinished, Passed: true });
        Assert.Equal(RunEventKind.RunFinished, events.Last(e => e.Kind != RunEventKind.StateChanged).Kind);
        Assert.Equal(RunState.RolledBack, (await host.Services.GetRequiredService<IRunStore>().FindAsync(run.Id, Token))!.State);
    }

    [Fact]
    public async Task Events_written_by_one_portal_instance_reach_a_page_following_on_another()
    {
        var store = mongo.NewStoreDatabase();
        var writerDatabase = await ConnectAsync(store);
        var readerDatabase = await ConnectAsync(store);
        using var writerClient = writerDatabase.Database.Client;
        using var readerClient = readerDatabase.Database.Client;
        var writer = new MongoRunEventStore(writerDatabase);
        var reader = new MongoRunEventStore(readerDatabase);
        await writer.EnsureIndexesAsync(Token);
        await writer.AppendAsync("run-x", new RunEvent(DateTimeOffset.UtcNow, RunEventKind.RunStarted, "history"), Token);

        using var follow = CancellationTokenSource.CreateLinkedTokenSource(Token);
        follow.CancelAfter(TimeSpan.FromSeconds(20));
        var seen = new List<(string Message, DateTimeOffset At)>();
        var following = Task.Run(async () =>
        {
            await foreach (var stored in reader.FollowAsync("run-x", 0, follow.Token))
            {
                seen.Add((stored.Event.Message, DateTimeOffset.UtcNow));
                if (seen.Count == 3) return;
            }
        }, Token);
        await Task.Delay(500, Token);
        var written = DateTimeOffset.UtcNow;
        await writer.AppendAsync("run-x", new RunEvent(DateTimeOffset.UtcNow, RunEventKind.Log, "live one"), Token);
        await writer.AppendAsync("run-other", new RunEvent(DateTimeOffset.UtcNow, RunEventKind.Log, "another run"), Token);
        await writer.AppendAsync("run-x", new RunEvent(DateTimeOffset.UtcNow, RunEventKind.Log, "live two"), Token);
        await following;

        Assert.Equal(["history", "live one", "live two"], seen.Select(s => s.Message));
        Assert.True(seen[^1].At - written < TimeSpan.FromSeconds(1.5), $"the live events took {(seen[^1].At - written).TotalMilliseconds:N0} ms");
    }

    /// <summary>A started portal host and its backup folder: stopped, disposed and removed at the end of the test.</summary>
    /// <param name="Database">The target's database on MongoDB; null in the sandbox.</param>
    private sealed record PortalHost(IHost Host, string Target, IMongoDatabase? Database, string BackupFolder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync(CancellationToken.None);
            Host.Dispose();
            if (Directory.Exists(BackupFolder)) Directory.Delete(BackupFolder, recursive: true);
        }
    }

    /// <summary>The portal store as the portal connects to it: as the store's user (<see cref="MongoFixture.NewStoreDatabase"/>).</summary>
    private async Task<PortalDatabase> ConnectAsync(IMongoDatabase database)
    {
        var (portal, problem) = await PortalStoreConnection.ConnectAsync(
            new PortalStoreOptions { ConnectionString = mongo.ConnectionStringFor(database), Database = database.DatabaseNamespace.DatabaseName }, Token);
        Assert.True(portal is not null, problem);
        return portal!;
    }

    /// <summary>
    /// The portal as a host, composed by its own <see cref="PortalFeatures.AddPortalFeatures"/> and started (its Hangfire server runs the
    /// jobs), with the test people as its users. The sandbox has its simulated targets; MongoDB a portal store and the target "it".
    /// </summary>
    private async Task<PortalHost> StartPortalHostAsync(string backend)
    {
        PortalBson.Register();
        var sandbox = backend == ScenarioBackends.Sandbox;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Environment.EnvironmentName = Environments.Development;
        var backups = Path.Combine(Path.GetTempPath(), "botcore-workflow-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>(TestPortal.SandboxTargets)
        {
            ["Backups:Location"] = backups,
            ["Migrations:Lease:RenewEverySeconds"] = "1",
        };
        var database = sandbox ? null : mongo.NewDatabase();
        if (database is not null)
        {
            var portal = await ConnectAsync(mongo.NewStoreDatabase());
            builder.Services.AddSingleton(portal);
            settings["Targets:it:ConnectionString"] = mongo.ConnectionStringFor(database);
            settings["Targets:it:Database"] = database.DatabaseNamespace.DatabaseName;
            settings["Targets:it:Tier"] = "Development";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPortalFeatures(builder.Configuration, builder.Environment, new PortalMode(IsSandbox: sandbox));
        builder.Services.Replace(ServiceDescriptor.Singleton<IUserStore>(_ => TestPeople.NewStore()));
        var host = builder.Build();
        await host.StartAsync(Token);
        return new PortalHost(host, sandbox ? "dev" : "it", database, backups);
    }

    /// <summary>
    /// Olga creates a run and ticks its manual items; "Back up now" has the backup job (through Hangfire) back up the run's collections,
    /// verify the backup and settle its items; then she requests approval.
    /// </summary>
    private static async Task<MigrationRun> AwaitingApprovalAsync(RunService runs, string target, string to)
    {
        var run = await runs.CreateAsync(Olga, target, SchemaVersion.Parse(to), Token);
        foreach (var item in run.Checklist.Where(i => ChecklistTemplate.Get(i.ItemId) is { Kind: ItemKind.Manual, Required: true, Phase: ItemPhase.BeforeApproval }))
        {
            run = await runs.TickAsync(Olga, run.Id, item.ItemId, "done", run.Revision, Token);
        }
        await runs.BackUpAsync(Olga, run.Id, run.Revision, Token);
        run = await WaitUntilAsync(runs, run.Id, r => r.Item(ChecklistTemplate.BackupVerified)?.Status == ItemStatus.Passed, "its backup is verified");
        return await runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
    }

    private static async Task<MigrationRun> WaitUntilAsync(RunService runs, string id, Func<MigrationRun, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await runs.GetAsync(id, Token);
            if (condition(run)) return run;
            Assert.True(DateTime.UtcNow < deadline, $"run {id} is still {run.State} after 90 s, waiting until {what}");
            await Task.Delay(250, Token);
        }
    }
}
