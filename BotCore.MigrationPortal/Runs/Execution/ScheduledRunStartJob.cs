using BotCore.MigrationPortal.Security;
using Hangfire;
using Hangfire.Server;
using Serilog.Context;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// The scheduled start of an approved run (a maintenance window). At its time it does what "Run" does then, on behalf of
/// whoever scheduled it (see <see cref="RunService.StartScheduledAsync"/>), and the run's own job executes it; a refusal is
/// written on the run and in the audit log. Never retried: a start refused at 3 a.m. is for a person to look at.
/// </summary>
public sealed class ScheduledRunStartJob(RunService runs, RunJobLedger ledger, ILogger<ScheduledRunStartJob> logger)
{
    /// <param name="shutdown">Hangfire's shutdown token: the start is short and is not interrupted halfway.</param>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Scheduled start of run {0}")]
    public Task ExecuteAsync(string runId, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(runId, context?.BackgroundJob.Id);

    /// <param name="jobId">This job's id: the run starts only while this is still its schedule (not cancelled or moved since).</param>
    internal async Task ExecuteAsync(string runId, string? jobId)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        if ((await runs.GetAsync(runId, CancellationToken.None)).Schedule is not { } schedule || schedule.JobId != jobId)
        {
            logger.LogInformation("Scheduled start {JobId} of run {RunId} found its schedule cancelled or moved; nothing to do", jobId, runId);
            return;
        }
        try
        {
            if (await runs.StartScheduledAsync(runId, jobId, CancellationToken.None) is { } queued)
            {
                await ledger.LogAsync(runId, $"Started as scheduled for {schedule.At:u} by {schedule.By}: queued at {queued.UpdatedAt:u}.");
            }
        }
        catch (ActionRefusedException e)
        {
            await ledger.ScheduledStartRefusedAsync(runId, schedule, e.Message);
        }
    }
}
