using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Runs.Events;

public sealed class InMemoryRunEventStore : IRunEventStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<StoredRunEvent>> events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChannelWriter<StoredRunEvent>>> followers = new(StringComparer.Ordinal);

    public Task<StoredRunEvent> AppendAsync(string runId, RunEvent runEvent, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var list = events.TryGetValue(runId, out var existing) ? existing : events[runId] = [];
            var stored = new StoredRunEvent { RunId = runId, Sequence = list.Count + 1, Event = runEvent };
            list.Add(stored);
            foreach (var follower in followers.GetValueOrDefault(runId) ?? []) follower.TryWrite(stored);
            return Task.FromResult(stored);
        }
    }

    public Task<IReadOnlyList<StoredRunEvent>> ReadAsync(string runId, long afterSequence, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<StoredRunEvent>>((events.GetValueOrDefault(runId) ?? []).Where(e => e.Sequence > afterSequence).ToList());
        }
    }

    public async IAsyncEnumerable<StoredRunEvent> FollowAsync(string runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<StoredRunEvent>();
        List<StoredRunEvent> history;
        lock (gate)
        {
            // Taking the history and subscribing under one lock leaves no gap between them.
            history = (events.GetValueOrDefault(runId) ?? []).Where(e => e.Sequence > afterSequence).ToList();
            (followers.TryGetValue(runId, out var list) ? list : followers[runId] = []).Add(channel.Writer);
        }
        try
        {
            foreach (var stored in history) yield return stored;
            await foreach (var stored in channel.Reader.ReadAllAsync(cancellationToken)) yield return stored;
        }
        finally
        {
            lock (gate) followers[runId].Remove(channel.Writer);
        }
    }
}
