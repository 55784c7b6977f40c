using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// What a run's background job (a migration or an adoption) writes about its run, as the portal: state moves stamped now,
/// the run's start, its end (logged and audited), a refusal to start, and lines in its event stream. Both jobs end runs
/// the same way, so a DBA reads the same messages and the audit log the same entries whichever job it was.
/// </summary>
public sealed class RunJobLedger(RunRepository repository, IRunEventStore events, IAuditLog audit, TimeProvider time, ILogger<RunJobLedger> logger)
{
    /// <summary>Who moves a run the job settles.</summary>
    public const string Portal = PreCheckEvaluator.Portal;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public MigrationRun Move(MigrationRun run, RunState to, string by, string reason) => RunStateMachine.Move(run, to, by, reason, Now);

    /// <summary>Moves a queued run to Running under the job <paramref name="jobId"/>; <paramref name="more"/> records what the job decides at its start.</summary>
    public Task<MigrationRun> StartAsync(string runId, string? jobId, Func<MigrationRun, MigrationRun>? more = null) =>
        repository.UpdateAsync(runId, r =>
        {
            var running = Move(r, RunState.Running, Portal, "job started") with { StartedAt = Now, JobId = jobId };
            return more is null ? running : more(running);
        }, "Running", CancellationToken.None);

    /// <summary>Why the job refuses to start a run whose pre-checks, evaluated now, no longer give the facts its approval was bound to; null when it holds.</summary>
    public static string? ApprovalRefusal(MigrationRun run, MigrationRun evaluated) =>
        run.Approval is { } approval && ApprovalBinding.Changes(approval.BoundFacts, ApprovalBinding.FactsOf(evaluated)) is { Count: > 0 } changes
            ? $"the approval by {approval.By} no longer holds: {string.Join("; ", changes)}"
            : null;

    /// <summary>A run cancelled while its job waited in the queue: nothing was done.</summary>
    public Task CancelledBeforeStartAsync(string runId, string canceller) =>
        FinishAsync(runId, r => Move(r, RunState.Cancelled, canceller, "cancelled before it started"), "Cancelled before it started");

    /// <summary>Ends the run as <paramref name="finish"/> says, stamps when, and logs and audits <paramref name="message"/>.</summary>
    public async Task FinishAsync(string runId, Func<MigrationRun, MigrationRun> finish, string message)
    {
        var run = await repository.UpdateAsync(runId, r => finish(r) with { FinishedAt = Now }, message, CancellationToken.None);
        logger.LogInformation("Run {RunId} ended {State}: {Message}", runId, run.State, message);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.RunStateChanged, run.Target, run.Id, message), CancellationToken.None);
    }

    /// <summary>The job refused to start the run before any step: nothing changed, the reason is on the run, and it can be run again.</summary>
    public async Task NotStartedAsync(string runId, string why)
    {
        var run = await repository.UpdateAsync(runId, r => Move(r, RunState.NotStarted, Portal, "refused at start") with
        {
            Error = $"Not started: {why} Nothing was changed on the target; run it again once the cause is gone.",
        }, $"Not started: {why}", CancellationToken.None);
        await EndedAsync(runId, $"Not started, nothing was changed: {why}", passed: false);
        logger.LogInformation("Run {RunId} not started: {Reason}", runId, why);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.RunStateChanged, run.Target, run.Id, $"not started, nothing was changed: {why}"),
            CancellationToken.None);
    }

    /// <summary>
    /// The scheduled start <paramref name="schedule"/> was refused at its time: the reason goes on the run (its error and a warning in its
    /// events) and in the audit log; the schedule is spent (the maintenance-window item opens again) and the run stays where it is.
    /// </summary>
    public async Task ScheduledStartRefusedAsync(string runId, RunSchedule schedule, string why)
    {
        var run = await repository.UpdateAsync(runId, r => (r.Schedule is { } other && other.JobId != schedule.JobId ? r : MaintenanceWindowItem.Unscheduled(r)) with
        {
            Error = $"The start scheduled for {schedule.At:u} by {schedule.By} was refused at {Now:u}: {why} Nothing was changed on the target; " +
                "run or schedule it again once the cause is gone.",
        }, $"Scheduled start refused: {why}", CancellationToken.None);
        await LogAsync(runId, $"Scheduled start refused, nothing was changed: {why}", RunEventLevel.Warning);
        logger.LogWarning("Scheduled start of run {RunId} refused: {Reason}", runId, why);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.ScheduledStartRefused, run.Target, run.Id,
            $"start scheduled for {schedule.At:u} by {schedule.By} refused, nothing was changed: {why}"), CancellationToken.None);
    }

    /// <summary>A line in the run's event stream.</summary>
    public Task LogAsync(string runId, string message, RunEventLevel level = RunEventLevel.Information) =>
        events.AppendAsync(runId, new RunEvent(time.GetUtcNow(), RunEventKind.Log, message) { Level = level }, CancellationToken.None);

    /// <summary>The last line of the run's event stream: whether it did what it was for.</summary>
    public Task EndedAsync(string runId, string message, bool passed) =>
        events.AppendAsync(runId, new RunEvent(time.GetUtcNow(), RunEventKind.RunFinished, message)
        {
            Passed = passed, Level = passed ? RunEventLevel.Information : RunEventLevel.Warning,
        }, CancellationToken.None);
}
