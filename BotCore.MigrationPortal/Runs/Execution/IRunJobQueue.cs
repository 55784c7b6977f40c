namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>Puts a queued run's job in the background job system; returns the job's id.</summary>
public interface IRunJobQueue
{
    string Enqueue(string runId);
}
