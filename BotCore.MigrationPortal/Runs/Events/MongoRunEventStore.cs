using System.Runtime.CompilerServices;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Hosting;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Runs.Events;

/// <summary>
/// Run events in the portal database. Following opens a change stream on inserts of the run's events before
/// reading the history, so nothing written in between is missed; on a server without change streams (a
/// standalone) it polls twice a second instead. Either way <see cref="SeenRunEvents"/> shows each event once,
/// however the writers' commits interleave.
/// </summary>
public sealed class MongoRunEventStore(PortalDatabase portal) : IRunEventStore
{
    public const string CollectionName = "run_events";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private readonly IMongoCollection<StoredRunEvent> events = Collection(portal);
    private readonly IMongoCollection<EventCounter> counters = portal.Database.GetCollection<EventCounter>("run_event_counters");

    // The conventions must be in place before the driver maps the type for the first time.
    private static IMongoCollection<StoredRunEvent> Collection(PortalDatabase portal)
    {
        PortalBson.Register();
        return portal.Database.GetCollection<StoredRunEvent>(CollectionName);
    }

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardIndexesAsync(CollectionName, () =>
        events.Indexes.CreateOneAsync(new CreateIndexModel<StoredRunEvent>(
            Builders<StoredRunEvent>.IndexKeys.Ascending(e => e.RunId).Ascending(e => e.Sequence),
            new CreateIndexOptions { Name = "run_sequence", Unique = true }), cancellationToken: cancellationToken));

    public Task<StoredRunEvent> AppendAsync(string runId, RunEvent runEvent, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        var counter = await counters.FindOneAndUpdateAsync(
            Builders<EventCounter>.Filter.Eq(c => c.RunId, runId),
            Builders<EventCounter>.Update.Inc(c => c.Last, 1L),
            new FindOneAndUpdateOptions<EventCounter> { IsUpsert = true, ReturnDocument = ReturnDocument.After },
            cancellationToken);
        var stored = new StoredRunEvent { RunId = runId, Sequence = counter.Last, Event = runEvent };
        await events.InsertOneAsync(stored, cancellationToken: cancellationToken);
        return stored;
    });

    public Task<IReadOnlyList<StoredRunEvent>> ReadAsync(string runId, long afterSequence, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (IReadOnlyList<StoredRunEvent>)await events.Find(e => e.RunId == runId && e.Sequence > afterSequence).SortBy(e => e.Sequence).ToListAsync(cancellationToken));

    public IAsyncEnumerable<StoredRunEvent> FollowAsync(string runId, long afterSequence, CancellationToken cancellationToken) =>
        PortalStoreFailures.Guard(portal.SupportsChangeStreams ? WatchAsync(runId, afterSequence, cancellationToken) : PollAsync(runId, afterSequence, cancellationToken),
            cancellationToken);

    private async IAsyncEnumerable<StoredRunEvent> WatchAsync(string runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var inserts = new EmptyPipelineDefinition<ChangeStreamDocument<StoredRunEvent>>()
            .Match(change => change.OperationType == ChangeStreamOperationType.Insert && change.FullDocument.RunId == runId);
        using var stream = await events.WatchAsync(inserts, new ChangeStreamOptions { MaxAwaitTime = TimeSpan.FromMilliseconds(500) }, cancellationToken);
        // The history and the stream overlap (an event inserted while the history was read is in both).
        var seen = new SeenRunEvents(afterSequence);
        foreach (var stored in await ReadAsync(runId, afterSequence, cancellationToken))
        {
            if (seen.IsNew(stored)) yield return stored;
        }
        while (await stream.MoveNextAsync(cancellationToken))
        {
            foreach (var change in stream.Current)
            {
                if (seen.IsNew(change.FullDocument)) yield return change.FullDocument;
            }
        }
    }

    private async IAsyncEnumerable<StoredRunEvent> PollAsync(string runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Not "after the last one read": an event committed late, below it, would never be read.
        var seen = new SeenRunEvents(afterSequence);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var stored in await ReadAsync(runId, seen.ReadAfter, cancellationToken))
            {
                if (seen.IsNew(stored)) yield return stored;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private sealed record EventCounter
    {
        [BsonId] public required string RunId { get; init; }
        public long Last { get; init; }
    }
}
