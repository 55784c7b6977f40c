using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// Pause and Resume of a running run's data step through the run service and the run's job, on the sandbox with a simulated volume: the
/// request is stored on the run, the job stops at the next batch boundary and says where, Resume goes on to the end, Cancel wins.
/// </summary>
public sealed class DataStepPauseServiceTests : IDisposable
{
    /// <summary>dev's users take 3 s at this rate: time to pause, short enough for a test.</summary>
    public static IReadOnlyDictionary<string, string?> SimulatedUsers { get; } = new Dictionary<string, string?>
    {
        ["Sandbox:Targets:dev:Documents:users"] = "150000",
        ["Sandbox:DocumentsPerSecond"] = "50000",
        ["Migrations:Batching:BatchSize"] = "1000",
        ["Migrations:Batching:PauseMilliseconds"] = "0",
        // A lease that lapses within a pause unless the job keeps renewing it.
        ["Migrations:Lease:DurationSeconds"] = "3",
    };

    private readonly PortalHarness portal = new(settings: SimulatedUsers);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task A_pause_stops_the_data_step_at_a_batch_boundary_keeps_the_run_running_and_resume_takes_it_to_the_end()
    {
        var (job, running) = await DataStepRunningAsync();

        var asked = await portal.Runs.PauseAsync(Olga, running.Id, running.Revision, Token);
        Assert.Equal(("olga", RunState.Running), (asked.Pause!.By, asked.State));
        var paused = await WaitForAsync(running.Id, r => r.Pause?.Reached is not null);
        var point = paused.Pause!.Reached!;
        Assert.Equal(RunState.Running, paused.State);
        Assert.True(point.Simulated);
        Assert.Equal(150_000, point.Total);
        Assert.Equal(point.Batch * 1000, point.Processed);
        Assert.StartsWith($"Paused at {point.Processed:N0}/150,000 documents (simulated) by olga at ", paused.Pause.Describe());
        var batchesWhenPaused = await BatchEventsAsync(running.Id);
        await Task.Delay(4_000, Token);
        Assert.Equal(batchesWhenPaused, await BatchEventsAsync(running.Id));
        Assert.False(job.IsCompleted);
        var locked = await Assert.ThrowsAsync<TargetLockedException>(() =>
            portal.Targets.Get("dev").AcquireLeaseAsync(new LeaseHolder("run-other", "alice"), Token));
        Assert.Equal(running.Id, locked.Holder.RunId);

        var resumed = await portal.Runs.ResumeAsync(Olga, paused.Id, paused.Revision, Token);
        Assert.Null(resumed.Pause);
        await job;

        var run = await portal.Runs.GetAsync(running.Id, Token);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal([PauseRecord.Asked, PauseRecord.Reached, PauseRecord.Resumed], run.Pauses.Select(p => p.What));
        Assert.Contains($"paused at batch boundary {point.Batch:N0} of step", run.Pauses[1].Details);
        Assert.StartsWith($"continues after {point.Processed:N0}/150,000 documents (simulated) with batch {point.Batch + 1:N0}", run.Pauses[2].Details);
        Assert.Contains(RunHistory.Of(run), line => line is { Kind: RunHistoryKind.Pause, What: PauseRecord.Resumed, By: "olga" });
        var events = (await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event).ToList();
        Assert.Contains(events, e => e.Message == "olga asked to pause: the running data step stops at its next batch boundary");
        Assert.Contains(events, e => e.Message.StartsWith($"Paused at batch boundary {point.Batch:N0}", StringComparison.Ordinal));
        var batches = events.Where(e => e.Kind == RunEventKind.BatchProgress && e.Batch!.Total == 150_000).Select(e => e.Batch!.Processed).ToList();
        // Thinned to two a second by the recorder; in order, to the last.
        Assert.Equal(batches.Order(), batches);
        Assert.Equal(150_000, batches[^1]);
        Assert.Equal([AuditActions.RunPaused, AuditActions.RunResumed],
            portal.Audit.Records.Where(r => r.RunId == run.Id && r.Action is AuditActions.RunPaused or AuditActions.RunResumed).Select(r => r.Action));
    }

    [Fact]
    public async Task Cancel_while_paused_wins_the_run_stops_at_once_and_rolls_back()
    {
        var (job, running) = await DataStepRunningAsync();
        await portal.Runs.PauseAsync(Olga, running.Id, running.Revision, Token);
        var paused = await WaitForAsync(running.Id, r => r.Pause?.Reached is not null);

        await portal.Runs.CancelAsync(Alice, paused.Id, paused.Revision, Token);
        await job.WaitAsync(TimeSpan.FromSeconds(20), Token);

        var run = await portal.Runs.GetAsync(running.Id, Token);
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Contains(run.Transitions, t => t.To == RunState.RollingBack && t.By == "alice");
        Assert.Equal(Engine.SchemaVersion.Zero, (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task A_stale_page_or_a_second_click_is_refused_with_a_sentence_and_changes_nothing()
    {
        var (job, running) = await DataStepRunningAsync();
        var paused = await portal.Runs.PauseAsync(Olga, running.Id, running.Revision, Token);

        var second = await Assert.ThrowsAsync<ConflictRefusalException>(() => portal.Runs.PauseAsync(Olga, running.Id, running.Revision, Token));
        Assert.StartsWith($"Run {running.Id} changed since your page showed it", second.Message);
        var stale = await Assert.ThrowsAsync<ConflictRefusalException>(() => portal.Runs.ResumeAsync(Olga, running.Id, running.Revision, Token));
        Assert.Contains("Nothing was done", stale.Message);
        var now = await WaitForAsync(running.Id, r => r.Pause?.Reached is not null);
        Assert.Equal("olga", now.Pause!.By);
        Assert.Single(now.Pauses, p => p.What == PauseRecord.Asked);

        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.PauseAsync(Olga, now.Id, now.Revision, Token));
        Assert.StartsWith($"Run {running.Id} is paused already", again.Message);
        await portal.Runs.ResumeAsync(Olga, now.Id, now.Revision, Token);
        await job;
        Assert.Equal(RunState.Succeeded, (await portal.Runs.GetAsync(paused.Id, Token)).State);
    }

    [Fact]
    public async Task A_Viewer_may_not_pause_and_the_refusal_is_audited()
    {
        var (job, running) = await DataStepRunningAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.PauseAsync(Victor, running.Id, running.Revision, Token));

        Assert.Equal("victor (Viewer) may not pause runs: it needs the Operator role.", refused.Message);
        Assert.Contains(portal.Audit.Records, r => r is { User: "victor", Action: AuditActions.ActionRefused } && r.Details.StartsWith($"tried to pause run {running.Id}", StringComparison.Ordinal));
        Assert.Null((await portal.Runs.GetAsync(running.Id, Token)).Pause);
        await job;
    }

    [Fact]
    public async Task A_pause_lifted_at_once_lets_the_step_go_on_to_the_end()
    {
        var (job, running) = await DataStepRunningAsync();
        var asked = await portal.Runs.PauseAsync(Olga, running.Id, running.Revision, Token);

        MigrationRun resumed;
        try
        {
            resumed = await portal.Runs.ResumeAsync(Olga, asked.Id, asked.Revision, Token);
        }
        catch (ConflictRefusalException)
        {
            // The job reached a boundary in the moment between: the page shows that, and she resumes again.
            var now = await portal.Runs.GetAsync(running.Id, Token);
            resumed = await portal.Runs.ResumeAsync(Olga, now.Id, now.Revision, Token);
        }
        await job;

        Assert.Null(resumed.Pause);
        var run = await portal.Runs.GetAsync(running.Id, Token);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(PauseRecord.Resumed, run.Pauses[^1].What);
    }

    /// <summary>Starts a run of dev to 1.1.0 and waits until its data step reports batches.</summary>
    private async Task<(Task Job, MigrationRun Running)> DataStepRunningAsync()
    {
        var queued = await portal.QueuedAsync("dev", "1.1.0");
        var job = portal.Job.ExecuteAsync(queued.Id, jobId: null);
        var running = await WaitForAsync(queued.Id, r => r.State == RunState.Running);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await BatchEventsAsync(queued.Id) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the data step reported no batch");
            await Task.Delay(10, Token);
        }
        return (job, await portal.Runs.GetAsync(running.Id, Token));
    }

    private async Task<int> BatchEventsAsync(string id) =>
        (await portal.Events.ReadAsync(id, 0, Token)).Count(e => e.Event.Kind == RunEventKind.BatchProgress && e.Event.Batch!.Total > 0);

    private async Task<MigrationRun> WaitForAsync(string id, Func<MigrationRun, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var run = await portal.Runs.GetAsync(id, Token);
            if (condition(run)) return run;
            Assert.True(DateTime.UtcNow < deadline, $"run {id} stayed {run.State}");
            await Task.Delay(20, Token);
        }
    }
}
