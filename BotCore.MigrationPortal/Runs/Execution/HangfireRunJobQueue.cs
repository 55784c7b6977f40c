using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Security;
using Hangfire;

namespace BotCore.MigrationPortal.Runs.Execution;

public sealed class HangfireRunJobQueue(IBackgroundJobClient jobs) : IRunJobQueue
{
    // Hangfire passes its own PerformContext and shutdown token in place of the null and None given here.
    public string Enqueue(MigrationRun run) => run.Kind == RunKind.Baseline
        ? jobs.Enqueue<BaselineRunJob>(job => job.ExecuteAsync(run.Id, run.Target, null, CancellationToken.None))
        : jobs.Enqueue<MigrationRunJob>(job => job.ExecuteAsync(run.Id, run.Target, null, CancellationToken.None));

    public string EnqueueBackup(MigrationRun run, Actor requestedBy) =>
        jobs.Enqueue<RunBackupJob>(job => job.ExecuteAsync(run.Id, run.Target, requestedBy.Name, CancellationToken.None));
}
