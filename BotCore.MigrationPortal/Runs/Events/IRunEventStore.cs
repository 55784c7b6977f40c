using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Runs.Events;

/// <summary>
/// The events of every run, persisted. Whichever portal instance runs the job writes them; every instance can
/// follow them (with MongoDB through a change stream), so a run page shows progress wherever the job runs.
/// </summary>
public interface IRunEventStore
{
    Task<StoredRunEvent> AppendAsync(string runId, RunEvent runEvent, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredRunEvent>> ReadAsync(string runId, long afterSequence, CancellationToken cancellationToken);

    /// <summary>The events after <paramref name="afterSequence"/>, then every new one as it is written, until cancelled.</summary>
    IAsyncEnumerable<StoredRunEvent> FollowAsync(string runId, long afterSequence, CancellationToken cancellationToken);
}
