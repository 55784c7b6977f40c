using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>Puts a run's background work in the job system; returns the job's id.</summary>
public interface IRunJobQueue
{
    /// <summary>The run itself, once it is queued.</summary>
    string Enqueue(string runId);

    /// <summary>A backup of the collections the run touches, verified, on behalf of <paramref name="requestedBy"/>.</summary>
    string EnqueueBackup(string runId, Actor requestedBy);
}
