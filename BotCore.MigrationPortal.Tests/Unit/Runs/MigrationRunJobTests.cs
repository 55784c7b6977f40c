using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>The background job of a run, against simulated targets.</summary>
public sealed class MigrationRunJobTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_queued_run_executes_validates_and_settles_its_automated_items_with_every_event_recorded()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.3.0");

        var run = await portal.ExecuteAsync(queued);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(
            [RunState.PreChecks, RunState.AwaitingApproval, RunState.Approved, RunState.Queued, RunState.Running, RunState.Validating, RunState.Succeeded],
            run.Transitions.Select(t => t.To));
        Assert.All(run.Validation, v => Assert.True(v.Passed, v.Summary));
        Assert.Equal(portal.Registry.ManagedCollections.Count, run.Validation.Count);
        foreach (var id in new[] { ChecklistTemplate.Executed, ChecklistTemplate.ProgressMonitored, ChecklistTemplate.VersionUpdated, ChecklistTemplate.IndexesVerified })
        {
            Assert.Equal(ItemStatus.Passed, run.Item(id)!.Status);
        }
        // The sandbox has no storage engine or query planner: validate and explain could not run, so these items are simulated, not passed.
        Assert.Equal(ItemStatus.Simulated, run.Item(ChecklistTemplate.PostValidation)!.Status);
        Assert.Contains("simulated (could not run here): validate passes on critical collections", run.Item(ChecklistTemplate.PostValidation)!.Evidence);
        var history = await portal.Targets.Get("dev").ReadHistoryAsync(Token);
        Assert.Equal(SchemaVersion.Parse("1.3.0"), history.Applied);
        Assert.All(history.Changelog, e => Assert.Equal($"olga, approved by bob (portal run {run.Id})", e.AppliedBy));
        var events = (await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event).ToList();
        Assert.Contains(events, e => e.Kind == RunEventKind.RunStarted);
        Assert.Equal(portal.Registry.Migrations.Sum(m => m.Steps.Count), events.Count(e => e.Kind == RunEventKind.StepFinished));
        var validations = events.Where(e => e.Kind == RunEventKind.Validation).ToList();
        Assert.All(validations, e => Assert.NotEqual(false, e.Passed));
        Assert.Contains(validations, e => e.Passed is null && e.Message.StartsWith("validate passes on critical collections: simulated:", StringComparison.Ordinal));
        Assert.All(run.Validation, v => Assert.Contains(validations, e => e.Message.StartsWith($"{v.Collection}: ", StringComparison.Ordinal)));
        Assert.True(validations.Count > run.Validation.Count, "the post-migration integrity checks are reported too");
        Assert.All(new[] { ChecklistTemplate.QueryPerformance, ChecklistTemplate.DataIntegrity }, id => Assert.Equal(ItemStatus.Simulated, run.Item(id)!.Status));
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.BackupDeletionScheduled)!.Status);
        Assert.All(RunProgress.Build(new Engine.Planning.MigrationPlanner(portal.Registry).Plan(run.From, run.To), events).Steps,
            s => Assert.Equal(StepStatus.Done, s.Status));
    }

    [Fact]
    public async Task A_job_delivered_twice_runs_once()
    {
        using var portal = new PortalHarness();
        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        await portal.Job.ExecuteAsync(run.Id, jobId: null);

        var again = await portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal(run.Revision, again.Revision);
        Assert.Equal(2, (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Changelog.Count);
    }

    [Fact]
    public async Task A_run_cancelled_before_its_job_starts_changes_nothing()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.1.0");
        await portal.Runs.CancelAsync(Olga, queued.Id, queued.Revision, Token);

        var run = await portal.ExecuteAsync(queued);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal(SchemaVersion.Zero, (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task Cancelling_a_running_run_stops_it_at_the_next_step_and_rolls_it_back()
    {
        using var portal = new PortalHarness(stepDelayMilliseconds: 150);
        var queued = await portal.QueuedAsync("dev", "1.3.0");
        var job = portal.Job.ExecuteAsync(queued.Id, jobId: null);
        var running = await WaitForAsync(portal, queued.Id, r => r.State == RunState.Running);
        await Task.Delay(400, Token);

        await portal.Runs.CancelAsync(Olga, running.Id, running.Revision, Token);
        await job;

        var run = await portal.Runs.GetAsync(queued.Id, Token);
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Contains(run.Transitions, t => t.To == RunState.RollingBack && t.By == "olga");
        Assert.Equal(Engine.Catalog.SchemaCatalog.Empty, await portal.Targets.Get("dev").ReadCatalogAsync(Token));
        var events = (await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event).ToList();
        Assert.Contains(events, e => e.Kind == RunEventKind.RollbackFinished && e.Passed == true);
    }

    [Fact]
    public async Task A_job_delivered_again_after_the_portal_stopped_resumes_its_run()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.3.0");
        // The portal died right after the job moved the run to Running, before the engine did anything.
        await portal.Repository.UpdateAsync(queued.Id, r => RunStateMachine.Move(r, RunState.Running, "portal", "job started", DateTime.UtcNow) with
        {
            JobId = "job-7", StartedAt = DateTime.UtcNow,
        }, "Running", Token);

        await portal.Job.ExecuteAsync(queued.Id, "job-7");

        var run = await portal.Runs.GetAsync(queued.Id, Token);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Contains((await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event), e => e.Message.Contains("resuming"));
        Assert.Equal(SchemaVersion.Parse("1.3.0"), (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task A_job_delivered_again_while_its_run_was_rolling_back_asks_for_a_person()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.1.0");
        await portal.Repository.UpdateAsync(queued.Id, r => RunStateMachine.Move(
            RunStateMachine.Move(RunStateMachine.Move(r, RunState.Running, "portal", "job started", DateTime.UtcNow), RunState.Failed, "portal", "a step failed", DateTime.UtcNow),
            RunState.RollingBack, "portal", "rolling back", DateTime.UtcNow) with { JobId = "job-8" }, "Rolling back", Token);

        await portal.Job.ExecuteAsync(queued.Id, "job-8");

        var run = await portal.Runs.GetAsync(queued.Id, Token);
        Assert.Equal(RunState.RollbackFailed, run.State);
        Assert.Contains("MANUAL INTERVENTION REQUIRED", run.Error);
    }

    [Fact]
    public async Task Another_job_finding_the_run_already_running_leaves_it_alone()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.1.0");
        var running = await portal.Repository.UpdateAsync(queued.Id, r => RunStateMachine.Move(r, RunState.Running, "portal", "job started", DateTime.UtcNow) with
        {
            JobId = "job-1",
        }, "Running", Token);

        await portal.Job.ExecuteAsync(queued.Id, "job-2");

        Assert.Equal(running.Revision, (await portal.Runs.GetAsync(queued.Id, Token)).Revision);
    }

    [Fact]
    public async Task A_job_that_finds_its_approval_no_longer_holds_refuses_to_start()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.1.0");
        // Someone migrated the target by other means between queueing and the job starting.
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(portal.Targets.Get("dev"), "1.0.0", cancellationToken: Token)).Succeeded);

        var run = await portal.ExecuteAsync(queued);

        Assert.Equal(RunState.NotStarted, run.State);
        Assert.StartsWith("Not started: the approval by bob no longer holds", run.Error);
        Assert.Contains("Nothing was changed on the target", run.Error);
        Assert.Null(run.FinishedAt);
        Assert.Equal(SchemaVersion.Parse("1.0.0"), (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
        // Nothing to undo: no emergency rollback; the run can be run again (and is then refused again, with the reason, until re-approved).
        Assert.Equal([RunAction.BackUp, RunAction.RunPreChecks, RunAction.Start, RunAction.Cancel, RunAction.Comment, RunAction.AttachBackup],
            RunRules.Allowed(run, TestPeople.Olga).Order());
    }

    [Fact]
    public async Task A_job_refused_at_start_because_another_run_holds_the_target_ends_not_started_and_can_be_run_again()
    {
        using var portal = new PortalHarness();
        var queued = await portal.QueuedAsync("dev", "1.1.0");
        var busy = await portal.Targets.Get("dev").AcquireLeaseAsync(new Engine.Leases.LeaseHolder("run-other", "alice"), Token);

        var refused = await portal.ExecuteAsync(queued);

        Assert.Equal(RunState.NotStarted, refused.State);
        Assert.Contains("Target 'dev' is busy: run run-other by alice", refused.Error);
        Assert.DoesNotContain("partly migrated", refused.Error);
        Assert.Equal(SchemaVersion.Zero, (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
        Assert.Contains(portal.Audit.Records, r => r.Action == MigrationPortal.Audit.AuditActions.RunStateChanged && r.Details.StartsWith("not started, nothing was changed", StringComparison.Ordinal));

        await busy.DisposeAsync();
        var again = await portal.Runs.StartAsync(TestPeople.Olga, refused.Id, refused.Revision, Token);
        Assert.Equal(RunState.Queued, again.State);
        Assert.Null(again.Error);
        Assert.Equal(RunState.Succeeded, (await portal.ExecuteAsync(again)).State);
    }

    private static async Task<MigrationRun> WaitForAsync(PortalHarness portal, string id, Func<MigrationRun, bool> condition)
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
