using BotCore.MigrationPortal.Security;
using Hangfire;

namespace BotCore.MigrationPortal.Runs.Execution;

public sealed class HangfireRunJobQueue(IBackgroundJobClient jobs) : IRunJobQueue
{
    // Hangfire passes its own PerformContext and shutdown token in place of the null and None given here.
    public string Enqueue(string runId) => jobs.Enqueue<MigrationRunJob>(job => job.ExecuteAsync(runId, null, CancellationToken.None));

    public string EnqueueBackup(string runId, Actor requestedBy) =>
        jobs.Enqueue<RunBackupJob>(job => job.ExecuteAsync(runId, requestedBy.Name, requestedBy.Role, CancellationToken.None));
}
