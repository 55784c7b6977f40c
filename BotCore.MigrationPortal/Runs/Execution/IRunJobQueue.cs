using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>Puts a run's background work in the job system; returns the job's id.</summary>
public interface IRunJobQueue
{
    /// <summary>The run itself, once it is queued.</summary>
    string Enqueue(MigrationRun run);

    /// <summary>
    /// A backup of the run's target (the whole database or the collections the run touches, as <paramref name="scope"/> says), verified, on
    /// behalf of <paramref name="requestedBy"/>: only the name travels with the job, whose role and the run's state are checked again when it runs.
    /// </summary>
    string EnqueueBackup(MigrationRun run, Actor requestedBy, BackupScope scope);

    /// <summary>
    /// The start of an approved run at <paramref name="at"/>: a scheduled job that starts it then as "Run" would (see
    /// <see cref="ScheduledRunStartJob"/>); returns the job's id, which <see cref="Unschedule"/> takes.
    /// </summary>
    string Schedule(MigrationRun run, DateTimeOffset at);

    /// <summary>Deletes a scheduled start that has not begun; false when it had (it then finds its schedule gone and does nothing).</summary>
    bool Unschedule(string jobId);
}
