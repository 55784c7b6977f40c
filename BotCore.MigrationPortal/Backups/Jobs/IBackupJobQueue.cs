using BotCore.MigrationPortal.Security;
using Hangfire;

namespace BotCore.MigrationPortal.Backups.Jobs;

/// <summary>
/// Puts a backup operation in the job system; returns the job's id. Each reports into the event stream named <c>operationId</c>.
/// Only the person's name travels with the job: their role is read again when it runs.
/// </summary>
public interface IBackupJobQueue
{
    string EnqueueBackup(string operationId, string target, Actor requestedBy);

    string EnqueueVerify(string operationId, string backupId, Actor requestedBy);

    string EnqueueRestore(string operationId, string backupId, string confirmation, Actor requestedBy);
}

public sealed class HangfireBackupJobQueue(IBackgroundJobClient jobs) : IBackupJobQueue
{
    // Hangfire passes its own PerformContext and shutdown token in place of the null and None given here.
    public string EnqueueBackup(string operationId, string target, Actor requestedBy) =>
        jobs.Enqueue<BackupJobs>(job => job.BackUpDatabaseAsync(operationId, target, requestedBy.Name, null, CancellationToken.None));

    public string EnqueueVerify(string operationId, string backupId, Actor requestedBy) =>
        jobs.Enqueue<BackupJobs>(job => job.VerifyAsync(operationId, backupId, requestedBy.Name, null, CancellationToken.None));

    public string EnqueueRestore(string operationId, string backupId, string confirmation, Actor requestedBy) =>
        jobs.Enqueue<BackupJobs>(job => job.RestoreAsync(operationId, backupId, confirmation, requestedBy.Name, null, CancellationToken.None));
}
