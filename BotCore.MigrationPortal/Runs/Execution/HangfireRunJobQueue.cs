using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Security;
using Hangfire;
using Hangfire.States;

namespace BotCore.MigrationPortal.Runs.Execution;

public sealed class HangfireRunJobQueue(IBackgroundJobClient jobs) : IRunJobQueue
{
    // Hangfire passes its own PerformContext and shutdown token in place of the null and None given here.
    public string Enqueue(MigrationRun run) => run.Kind switch
    {
        RunKind.Baseline => jobs.Enqueue<BaselineRunJob>(job => job.ExecuteAsync(run.Id, run.Target, null, CancellationToken.None)),
        RunKind.Fix or RunKind.FixUndo => jobs.Enqueue<Fixes.FixRunJob>(job => job.ExecuteAsync(run.Id, run.Target, null, CancellationToken.None)),
        _ => jobs.Enqueue<MigrationRunJob>(job => job.ExecuteAsync(run.Id, run.Target, null, CancellationToken.None)),
    };

    public string EnqueueBackup(MigrationRun run, Actor requestedBy, BackupScope scope) =>
        jobs.Enqueue<RunBackupJob>(job => job.ExecuteAsync(run.Id, run.Target, requestedBy.Name, scope, CancellationToken.None));

    public string Schedule(MigrationRun run, DateTimeOffset at) =>
        jobs.Schedule<ScheduledRunStartJob>(job => job.ExecuteAsync(run.Id, null, CancellationToken.None), at);

    // Only from Scheduled: a start already under way is not marked deleted behind its back.
    public bool Unschedule(string jobId) => jobs.Delete(jobId, ScheduledState.StateName);
}
