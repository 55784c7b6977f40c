using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// Scheduling an approved run into a maintenance window: a scheduled job (recorded here; its method is driven directly, as Hangfire
/// would call it at the time), the maintenance-window item settled by the schedule, cancel and reschedule, and the start at its
/// time checked again as "Run" would be then.
/// </summary>
public sealed class RunScheduleTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DateTime InTwoHours => Minute(DateTime.UtcNow.AddHours(2));

    public void Dispose() => portal.Dispose();

    private static DateTime Minute(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc);

    /// <summary>A run on <paramref name="target"/> prepared by Olga and approved by Bob (on Production after a staging run of the same checksums).</summary>
    private async Task<MigrationRun> ApprovedAsync(string target = "dev")
    {
        if (target == "production") await portal.ExecuteAsync(await portal.QueuedAsync("staging", "1.1.0"));
        var run = await portal.ReadyForApprovalAsync(target, "1.1.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        return await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);
    }

    private Task<MigrationRun> ScheduleAsync(MigrationRun run, DateTime at, string? typed = null, TestPerson? by = null) =>
        portal.Runs.ScheduleAsync(by ?? Olga, run.Id, at, typed, run.Revision, Token);

    private ScheduledRunStartJob StartJob => portal.Services.GetRequiredService<ScheduledRunStartJob>();

    /// <summary>What Hangfire does at the scheduled time.</summary>
    private async Task<MigrationRun> TimeComesAsync(MigrationRun scheduled)
    {
        await StartJob.ExecuteAsync(scheduled.Id, scheduled.Schedule!.JobId);
        return await portal.Runs.GetAsync(scheduled.Id, Token);
    }

    [Fact]
    public async Task An_approved_run_is_scheduled_as_one_job_and_its_maintenance_window_item_is_settled_by_the_schedule()
    {
        var run = await ApprovedAsync();
        var at = InTwoHours;

        var scheduled = await ScheduleAsync(run, at);

        Assert.Equal(RunState.Approved, scheduled.State);
        Assert.Equal((at, "olga"), (scheduled.Schedule!.At, scheduled.Schedule.By));
        var job = Assert.Single(portal.Queue.StillScheduled);
        Assert.Equal((scheduled.Schedule.JobId, run.Id, new DateTimeOffset(at)), (job.JobId, job.RunId, job.At));
        var window = scheduled.Item(ChecklistTemplate.MaintenanceWindow)!;
        Assert.Equal(ItemStatus.Passed, window.Status);
        Assert.Equal($"Scheduled for {at:yyyy-MM-dd HH:mm} UTC by olga (at {scheduled.Schedule.Requested:u}).", window.Evidence);
        Assert.Empty(portal.Queue.Enqueued);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.RunScheduled && r.User == "olga" && r.RunId == run.Id && r.Details.Contains(job.JobId));
        // Who scheduled it did not prepare it: the Approver may schedule the run he approved, and the approval still holds.
        Assert.Empty(RunRules.ApproverProblems(scheduled, Bob));
    }

    [Fact]
    public async Task Scheduling_twice_at_once_keeps_one_job_and_the_second_click_is_refused()
    {
        var run = await ApprovedAsync();

        var both = await Task.WhenAll(
            Attempt(() => ScheduleAsync(run, InTwoHours)),
            Attempt(() => ScheduleAsync(run, InTwoHours.AddHours(1))));
        var again = await Attempt(() => ScheduleAsync(run, InTwoHours));

        Assert.Single(both, outcome => outcome is null);
        Assert.Contains(both, outcome => outcome?.Contains("Nothing was done") == true);
        Assert.Contains("Nothing was done", again);
        var stored = await portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal(stored.Schedule!.JobId, Assert.Single(portal.Queue.StillScheduled).JobId);
        Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.RunScheduled);
    }

    [Fact]
    public async Task A_schedule_is_moved_by_a_new_job_and_the_old_one_is_deleted()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);
        var later = InTwoHours.AddDays(1);

        var moved = await portal.Runs.RescheduleAsync(Alice, scheduled.Id, later, null, scheduled.Revision, Token);

        Assert.Equal((later, "alice"), (moved.Schedule!.At, moved.Schedule.By));
        Assert.NotEqual(scheduled.Schedule!.JobId, moved.Schedule.JobId);
        Assert.Equal(moved.Schedule.JobId, Assert.Single(portal.Queue.StillScheduled).JobId);
        Assert.Contains("by alice", moved.Item(ChecklistTemplate.MaintenanceWindow)!.Evidence);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.RunRescheduled && r.User == "alice" && r.Details.Contains($"was {scheduled.Schedule.At:u}"));
    }

    [Fact]
    public async Task A_cancelled_schedule_deletes_its_job_opens_the_item_again_and_its_job_if_it_still_came_does_nothing()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);

        var cancelled = await portal.Runs.CancelScheduleAsync(Alice, scheduled.Id, scheduled.Revision, Token);
        await StartJob.ExecuteAsync(scheduled.Id, scheduled.Schedule!.JobId);

        Assert.Equal((RunState.Approved, null), (cancelled.State, cancelled.Schedule));
        Assert.Equal(ItemStatus.Open, cancelled.Item(ChecklistTemplate.MaintenanceWindow)!.Status);
        Assert.Empty(portal.Queue.StillScheduled);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ScheduleCancelled && r.User == "alice");
        var after = await portal.Runs.GetAsync(scheduled.Id, Token);
        Assert.Equal((cancelled.Revision, RunState.Approved, null), (after.Revision, after.State, after.Error));
        Assert.Empty(portal.Queue.Enqueued);
        // Not scheduled any more, it is run now or scheduled again.
        Assert.Contains(RunAction.Start, RunRules.Allowed(after, Olga));
        Assert.Contains(RunAction.Schedule, RunRules.Allowed(after, Olga));
    }

    [Fact]
    public async Task A_scheduled_run_is_not_also_started_now_and_cancelling_the_run_deletes_its_job()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, scheduled.Id, scheduled.Revision, Token));
        var cancelled = await portal.Runs.CancelAsync(Olga, scheduled.Id, scheduled.Revision, Token);

        Assert.Contains("cancel the schedule to run it now", refused.Message);
        Assert.Equal((RunState.Cancelled, null), (cancelled.State, cancelled.Schedule));
        Assert.Empty(portal.Queue.StillScheduled);
        Assert.Empty(portal.Queue.Enqueued);
    }

    [Theory]
    [InlineData(-1, "has passed")]
    [InlineData(31 * 24 * 60, "more than 30 days ahead")]
    public async Task A_time_in_the_past_or_too_far_ahead_is_refused_and_nothing_is_scheduled(int minutesFromNow, string why)
    {
        var run = await ApprovedAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => ScheduleAsync(run, DateTime.UtcNow.AddMinutes(minutesFromNow)));

        Assert.Contains(why, refused.Message);
        Assert.Empty(portal.Queue.Scheduled);
        Assert.Null((await portal.Runs.GetAsync(run.Id, Token)).Schedule);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith($"tried to schedule run {run.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_its_time_the_scheduled_run_is_queued_on_behalf_of_whoever_scheduled_it()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);

        var started = await TimeComesAsync(scheduled);

        Assert.Equal(RunState.Queued, started.State);
        Assert.Null(started.Schedule);
        Assert.Equal([scheduled.Id], portal.Queue.Enqueued);
        Assert.Equal(ItemStatus.Passed, started.Item(ChecklistTemplate.MaintenanceWindow)!.Status);
        Assert.Equal("olga", started.Transitions[^1].By);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ScheduledStart && r.User == "olga" && r.RunId == scheduled.Id);
        var events = await portal.Events.ReadAsync(scheduled.Id, 0, Token);
        Assert.Contains(events, e => e.Event.Message.StartsWith("Started as scheduled", StringComparison.Ordinal));
        Assert.Equal(RunState.Succeeded, (await portal.ExecuteAsync(started)).State);
    }

    [Fact]
    public async Task At_its_time_a_run_whose_Approver_was_disabled_meanwhile_is_not_started_and_the_run_says_why()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);
        await portal.Users.ReplaceAsync(Bob.User with { Disabled = true }, Token);

        var refused = await TimeComesAsync(scheduled);

        Assert.Equal(RunState.PreChecks, refused.State);
        Assert.Null(refused.Approval);
        Assert.Contains("bob is no longer an enabled user", refused.ApprovalVoided);
        await AssertRefusedAtItsTimeAsync(refused, "bob is no longer an enabled user");
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ApprovalVoided && r.RunId == refused.Id);
    }

    [Fact]
    public async Task At_its_time_a_run_whose_approval_was_voided_meanwhile_is_not_started_and_the_run_says_why()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);
        // The target moved on outside the portal, and the pre-checks run again see it: the approval's facts changed.
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(portal.Targets.Get("dev"), "1.0.0", cancellationToken: Token)).Succeeded);
        var voided = await portal.Runs.RunPreChecksAsync(Olga, scheduled.Id, scheduled.Revision, Token);
        Assert.Equal((RunState.PreChecks, scheduled.Schedule), (voided.State, voided.Schedule));

        var refused = await TimeComesAsync(voided);

        Assert.Equal(RunState.PreChecks, refused.State);
        await AssertRefusedAtItsTimeAsync(refused, "Its approval was voided meanwhile (Approval by bob voided at");
    }

    [Fact]
    public async Task At_its_time_a_run_whose_scheduler_was_demoted_meanwhile_is_not_started_and_the_refusal_is_audited()
    {
        var scheduled = await ScheduleAsync(await ApprovedAsync(), InTwoHours);
        await portal.Users.ReplaceAsync(Olga.User with { Role = Role.Viewer }, Token);

        var refused = await TimeComesAsync(scheduled);

        Assert.Equal((RunState.Approved, "bob"), (refused.State, refused.Approval?.By));
        await AssertRefusedAtItsTimeAsync(refused, "olga (Viewer) may not start runs");
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == "olga" && r.Details.StartsWith($"tried to start run {refused.Id} as scheduled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_Production_Run_and_Approve_and_run_need_the_target_name_typed_and_a_mistyped_name_is_refused_and_audited()
    {
        var approved = await ApprovedAsync("production");

        var unnamed = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, approved.Id, approved.Revision, Token));
        var mistyped = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, approved.Id, approved.Revision, "Production", Token));
        var started = await portal.Runs.StartAsync(Olga, approved.Id, approved.Revision, " production ", Token);

        Assert.Equal($"Not started: type the name of the target, production, to confirm that run {approved.Id} starts on Production.", unnamed.Message);
        Assert.Equal(unnamed.Message, mistyped.Message);
        Assert.Equal(RunState.Queued, started.State);
        Assert.Equal(2, portal.Audit.Records.Count(r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith($"tried to start run {approved.Id}: Not started: type the name", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task On_Production_Approve_and_run_without_the_name_neither_approves_nor_queues()
    {
        await portal.ExecuteAsync(await portal.QueuedAsync("staging", "1.1.0"));
        var run = await portal.ReadyForApprovalAsync("production", "1.1.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, true, "prod", Token));
        var stored = await portal.Runs.GetAsync(run.Id, Token);
        var approved = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, true, "production", Token);

        Assert.Contains("to confirm that run", refused.Message);
        Assert.Equal((RunState.AwaitingApproval, null, run.Revision), (stored.State, stored.Approval, stored.Revision));
        Assert.Equal(RunState.Queued, approved.State);
        Assert.Equal(run.Id, portal.Queue.Enqueued[^1]);
    }

    [Fact]
    public async Task On_Production_the_name_is_typed_when_scheduling_and_nothing_is_asked_at_the_start()
    {
        var run = await ApprovedAsync("production");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => ScheduleAsync(run, InTwoHours, typed: "prod"));
        var scheduled = await ScheduleAsync(run, InTwoHours, typed: "production");
        var started = await TimeComesAsync(scheduled);

        Assert.Equal($"Not scheduled: type the name of the target, production, to confirm that run {run.Id} is scheduled to start on Production.", refused.Message);
        Assert.Equal(RunState.Queued, started.State);
        Assert.Equal(run.Id, portal.Queue.Enqueued[^1]);
    }

    private async Task AssertRefusedAtItsTimeAsync(MigrationRun refused, string why)
    {
        Assert.Null(refused.Schedule);
        Assert.StartsWith("The start scheduled for ", refused.Error);
        Assert.Contains(why, refused.Error);
        Assert.Equal(ItemStatus.Open, refused.Item(ChecklistTemplate.MaintenanceWindow)!.Status);
        Assert.DoesNotContain(refused.Id, portal.Queue.Enqueued);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ScheduledStartRefused && r.RunId == refused.Id && r.Details.Contains(why));
        var events = await portal.Events.ReadAsync(refused.Id, 0, Token);
        Assert.Contains(events, e => e.Event.Level == RunEventLevel.Warning && e.Event.Message.StartsWith("Scheduled start refused", StringComparison.Ordinal));
    }

    private static async Task<string?> Attempt(Func<Task> act)
    {
        try
        {
            await act();
            return null;
        }
        catch (ActionRefusedException e)
        {
            return e.Message;
        }
    }
}
