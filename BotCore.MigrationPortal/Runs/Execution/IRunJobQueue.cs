using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>Puts a run's background work in the job system; returns the job's id.</summary>
public interface IRunJobQueue
{
    /// <summary>The run itself, once it is queued.</summary>
    string Enqueue(MigrationRun run);

    /// <summary>
    /// A backup of the collections the run touches, verified, on behalf of <paramref name="requestedBy"/>: only the name travels
    /// with the job, whose role and the run's state are checked again when it runs.
    /// </summary>
    string EnqueueBackup(MigrationRun run, Actor requestedBy);
}
