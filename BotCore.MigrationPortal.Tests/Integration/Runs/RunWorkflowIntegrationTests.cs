using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Integration.Runs;

/// <summary>
/// The DBA workflow with MongoDB everywhere: the portal store, Hangfire.Mongo and the target. Skipped, with the
/// reason, where no MongoDB is available.
/// </summary>
public sealed class RunWorkflowIntegrationTests(MongoFixture mongo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_approved_in_the_portal_executes_through_Hangfire_Mongo_and_validates()
    {
        var portalName = mongo.NewDatabase().DatabaseNamespace.DatabaseName;
        var targetName = mongo.NewDatabase().DatabaseNamespace.DatabaseName;
        using var host = await StartPortalHostAsync(portalName, targetName);
        await using var stop = new StopHost(host);
        var runs = host.Services.GetRequiredService<RunService>();

        var run = await runs.CreateAsync(Olga, "it", SchemaVersion.Parse("1.3.0"), Token);
        foreach (var id in new[] { ChecklistTemplate.PerformanceReview, ChecklistTemplate.TeamNotified })
        {
            run = await runs.TickAsync(Olga, run.Id, id, "done", run.Revision, Token);
        }
        run = await runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
        Assert.Equal(RunState.Queued, run.State);

        var finished = await WaitUntilFinishedAsync(runs, run.Id);

        Assert.Equal(RunState.Succeeded, finished.State);
        Assert.False(string.IsNullOrEmpty(finished.JobId));
        Assert.All(finished.Validation, v => Assert.True(v.Passed, v.Summary));
        var target = host.Services.GetRequiredService<TargetRegistry>().Get("it");
        Assert.Empty(CatalogDiff.Between(host.Services.GetRequiredService<MigrationRegistry>().ExpectedCatalogAt(SchemaVersion.Parse("1.3.0")),
            await target.ReadCatalogAsync(Token)));
        var events = await host.Services.GetRequiredService<IRunEventStore>().ReadAsync(run.Id, 0, Token);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Contains(events, e => e.Event.Kind == RunEventKind.RunFinished && e.Event.Passed == true);
        var stored = await host.Services.GetRequiredService<IRunStore>().FindAsync(run.Id, Token);
        Assert.Equal(RunState.Succeeded, stored!.State);
    }

    [Fact]
    public async Task Events_written_by_one_portal_instance_reach_a_page_following_on_another()
    {
        var portalName = mongo.NewDatabase().DatabaseNamespace.DatabaseName;
        var writerDatabase = await ConnectAsync(portalName);
        var readerDatabase = await ConnectAsync(portalName);
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

    private sealed class StopHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await host.StopAsync(CancellationToken.None);
    }

    private async Task<PortalDatabase> ConnectAsync(string database)
    {
        var (portal, problem) = await PortalStoreConnection.ConnectAsync(
            new PortalStoreOptions { ConnectionString = mongo.ConnectionString!, Database = database }, Token);
        Assert.True(portal is not null, problem);
        return portal!;
    }

    private async Task<IHost> StartPortalHostAsync(string portalDatabase, string targetDatabase)
    {
        PortalBson.Register();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Targets:it:ConnectionString"] = mongo.ConnectionString,
            ["Targets:it:Database"] = targetDatabase,
            ["Targets:it:Tier"] = "Development",
        });
        var mode = new PortalMode(IsSandbox: false);
        builder.Services.AddSingleton(await ConnectAsync(portalDatabase));
        builder.Services.AddSingleton<IAuditLog, RecordingAuditLog>();
        builder.Services.AddMigrationEngine(builder.Configuration, sandbox: false);
        builder.Services.AddRuns(builder.Configuration, mode);
        var host = builder.Build();
        await host.StartAsync(Token);
        return host;
    }

    private static async Task<MigrationRun> WaitUntilFinishedAsync(RunService runs, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await runs.GetAsync(id, Token);
            if (RunStateMachine.IsFinished(run.State) || run.State == RunState.Failed) return run;
            Assert.True(DateTime.UtcNow < deadline, $"run {id} is still {run.State} after 90 s");
            await Task.Delay(250, Token);
        }
    }
}
