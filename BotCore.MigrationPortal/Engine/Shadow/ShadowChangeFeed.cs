using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// The writes the application makes to a collection while its shadow is built: a change stream on the collection, opened before the
/// copy starts, whose events are replayed into the shadow (manual, "Change Streams"; they need an oplog: a replica set or a sharded
/// cluster). Where it started (its resume token) is kept in <c>migration_checkpoints</c>, so that a copy resumed from its batch
/// checkpoint resumes the stream from the same point and no write made since the first attempt is missed; while the oplog still holds
/// that point (<c>ChangeStreamHistoryLost</c> otherwise, and the shadow is rebuilt by rolling back and running again).
/// </summary>
/// <remarks>
/// An insert or replace event carries the whole document; an update event asks for the document as it is now
/// (<c>fullDocument: "updateLookup"</c>), which is null when it was deleted since (its delete event follows). Replaying a newer image
/// than the event's is correct: the shadow converges on the source's current state. A rename or drop of the collection ends the stream
/// (manual, renameCollection: it "creates an invalidate for any existing change streams opened on the source or target collection").
/// The lookup goes by the event's namespace and then checks the collection's UUID (server: <c>lookupSingleDocument</c> by namespace,
/// NamespaceNotFound on another UUID, answered as no document); so after the step's own rename it finds nothing for the updates still
/// in the stream, and <see cref="ReplayUntilRenamedAsync"/> reads those documents from the renamed original instead.
/// </remarks>
public sealed class ShadowChangeFeed : IAsyncDisposable
{
    /// <summary>ErrorCodes::ChangeStreamHistoryLost (src/mongo/base/error_codes.yml): the resume point is no longer in the oplog.</summary>
    private const int ChangeStreamHistoryLost = 286;

    /// <summary>ErrorCodes::ChangeStreamFatalError: the resume token cannot be used (for example, the collection was dropped).</summary>
    private const int ChangeStreamFatalError = 280;

    private const int EventsPerBatch = 1000;

    /// <summary>
    /// How long the swap waits for its own rename to reach the stream, while the collection's name is free (a writer's insert would
    /// create it anew). On a healthy replica set the rename arrives with the first getMore; past this the swap renames the original back.
    /// </summary>
    internal static readonly TimeSpan RenameWait = TimeSpan.FromSeconds(5);

    /// <summary>How long one getMore waits for new events (<c>maxAwaitTimeMS</c>): also how long an empty answer takes.</summary>
    private static readonly TimeSpan AwaitEvents = TimeSpan.FromMilliseconds(500);

    private readonly IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor;
    private readonly ShadowNames names;
    private readonly IMongoDatabase database;
    private readonly IMongoCollection<BsonDocument> shadow;
    private readonly ShadowTransform transform;

    /// <summary>
    /// Whether the cursor has handed out the opening aggregate's first batch: the driver returns that batch on the first MoveNext without
    /// asking the server, so it says nothing about whether the stream has caught up.
    /// </summary>
    private bool firstBatchTaken;

    private ShadowChangeFeed(IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor, IMongoDatabase database, ShadowNames names,
        ShadowTransform transform, string pass, bool resumed)
    {
        this.cursor = cursor;
        this.database = database;
        this.names = names;
        shadow = database.GetCollection<BsonDocument>(names.Shadow);
        this.transform = transform;
        Pass = pass;
        Resumed = resumed;
    }

    /// <summary>The batch pass of the copy that goes with this stream: a new stream means a new copy, from the first document.</summary>
    public string Pass { get; }

    /// <summary>Whether the stream was resumed from an earlier, interrupted attempt of the same rebuild.</summary>
    public bool Resumed { get; }

    public long Replayed { get; private set; }

    /// <summary>
    /// Opens the stream, or resumes the one an interrupted attempt recorded while its shadow is still there. A shadow without a recorded
    /// stream holds documents nobody kept up to date: it is dropped, and the copy starts again.
    /// </summary>
    public static async Task<ShadowChangeFeed> OpenAsync(IMongoDatabase database, ShadowNames names, ShadowTransform transform, CancellationToken cancellationToken)
    {
        var markers = database.GetCollection<BsonDocument>(TargetCollections.Checkpoints);
        var marker = await markers.Find(new BsonDocument("_id", names.StreamMarker)).FirstOrDefaultAsync(cancellationToken);
        var shadowExists = await ShadowCollections.ExistsAsync(database, names.Shadow, cancellationToken);
        var source = database.GetCollection<BsonDocument>(names.Collection);
        if (marker is not null && shadowExists)
        {
            try
            {
                var resumed = await source.WatchAsync(Options(marker["resume_token"].AsBsonDocument), cancellationToken);
                return new ShadowChangeFeed(resumed, database, names, transform, marker["pass"].AsString, resumed: true);
            }
            catch (MongoCommandException e) when (e.Code is ChangeStreamHistoryLost or ChangeStreamFatalError)
            {
                throw new MigrationEngineException(
                    $"The copy into {names.Shadow} was interrupted and cannot resume: the oplog no longer holds the writes made to {names.Collection} since it " +
                    "started, so the shadow may miss some. Roll the run back (it drops the shadow) and run it again.", e);
            }
        }
        if (shadowExists) await database.DropCollectionAsync(names.Shadow, cancellationToken);
        // A marker without its shadow (a crash between the two): its copy's checkpoint belongs to no stream any more.
        if (marker is not null) await markers.DeleteManyAsync(CopyCheckpointOf(marker), cancellationToken);
        var cursor = await source.WatchAsync(Options(null), cancellationToken);
        // The initial aggregate's postBatchResumeToken (servers since 4.0.7): the point the stream starts from.
        var token = cursor.GetResumeToken() ?? throw new MigrationEngineException(
            $"The change stream on {names.Collection} gave no resume token: the server is older than the portal supports (MongoDB 4.0.7).");
        var pass = $"copy-{ObjectId.GenerateNewId()}";
        await markers.ReplaceOneAsync(new BsonDocument("_id", names.StreamMarker), new BsonDocument
        {
            { "_id", names.StreamMarker }, { "step_key", names.StreamMarker }, { "resume_token", token }, { "pass", pass },
            { "collection", names.Collection }, { "updated_at", DateTime.UtcNow },
        }, new ReplaceOptions { IsUpsert = true }, cancellationToken);
        return new ShadowChangeFeed(cursor, database, names, transform, pass, resumed: false);
    }

    /// <summary>
    /// Forgets where the stream started, and the copy's batch checkpoint (after the swap, or when the rebuild is undone). The runner
    /// clears a data step's checkpoints by its step key; this is a schema step, and its copy's pass is named after the stream.
    /// </summary>
    public static async Task ForgetAsync(IMongoDatabase database, ShadowNames names, CancellationToken cancellationToken)
    {
        var checkpoints = database.GetCollection<BsonDocument>(TargetCollections.Checkpoints);
        var marker = await checkpoints.Find(new BsonDocument("_id", names.StreamMarker)).FirstOrDefaultAsync(cancellationToken);
        if (marker is null) return;
        await checkpoints.DeleteManyAsync(CopyCheckpointOf(marker), cancellationToken);
        await checkpoints.DeleteOneAsync(new BsonDocument("_id", names.StreamMarker), cancellationToken);
    }

    /// <summary>BatchProcessor names a checkpoint "&lt;step key&gt;/&lt;pass&gt;"; the pass is "copy-&lt;ObjectId&gt;", unique to the marker's stream.</summary>
    private static FilterDefinition<BsonDocument> CopyCheckpointOf(BsonDocument marker) =>
        Builders<BsonDocument>.Filter.Regex("_id", new BsonRegularExpression($"/{marker["pass"].AsString}$"));

    /// <summary>
    /// Replays events until the stream has passed the last write the server had made when the call began (<c>hello</c>'s
    /// <c>lastWrite.opTime</c>), or a getMore found nothing more to return. Not "a batch short of full": the opening aggregate's first
    /// batch is empty without having read anything, and the server also cuts a batch at 16 MB. Writers may go on meanwhile; the pause
    /// and <see cref="ReplayUntilRenamedAsync"/> close that gap.
    /// </summary>
    /// <returns>The events replayed by this call.</returns>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        var reach = await LastWriteAsync(cancellationToken);
        long replayed = 0;
        while (true)
        {
            var fromServer = firstBatchTaken;
            var events = await NextAsync(cancellationToken);
            var end = events.FindIndex(e => e.OperationType is not (ChangeStreamOperationType.Insert or ChangeStreamOperationType.Update
                or ChangeStreamOperationType.Replace or ChangeStreamOperationType.Delete));
            if (end >= 0)
            {
                throw new MigrationEngineException(
                    $"{names.Collection} was {Described(events[end])} while its shadow was built: the rebuild stops (the rollback drops {names.Shadow}).");
            }
            replayed += await ReplayAsync(events, afterRename: false, cancellationToken);
            if (CaughtUp(fromServer, events.Select(e => e.ClusterTime).ToList(), reach)) return replayed;
        }
    }

    /// <summary>
    /// Whether a batch shows the stream caught up with <paramref name="reach"/>: it came from a getMore, and either that getMore waited
    /// its <c>maxAwaitTimeMS</c> and found nothing, or its last event is at or past <paramref name="reach"/> (a stream returns a
    /// collection's events in oplog order). Without a <paramref name="reach"/> (a server whose hello has no <c>lastWrite</c>), a batch
    /// short of full counts, as the server had run out of events when it answered.
    /// </summary>
    /// <param name="fromServer">False for the opening aggregate's first batch, which the driver hands out without a getMore.</param>
    /// <param name="clusterTimes">The batch's events' <c>clusterTime</c>s, in order.</param>
    internal static bool CaughtUp(bool fromServer, IReadOnlyList<BsonTimestamp?> clusterTimes, BsonTimestamp? reach) =>
        fromServer && (clusterTimes.Count == 0
            || (reach is null ? clusterTimes.Count < EventsPerBatch : clusterTimes[^1] is { } last && last.CompareTo(reach) >= 0));

    /// <summary>
    /// After the step renamed the collection away: replays every event up to the rename's own, so the shadow holds every write made
    /// to the collection before the rename (a stream reports a collection's events in oplog order, the rename last).
    /// </summary>
    /// <returns>The events replayed by this call.</returns>
    public async Task<long> ReplayUntilRenamedAsync(CancellationToken cancellationToken)
    {
        long replayed = 0;
        var deadline = DateTime.UtcNow + RenameWait;
        while (true)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new MigrationEngineException(
                    $"The rename of {names.Collection} did not reach its change stream within {RenameWait.TotalSeconds:N0} s (a stream reports only majority-committed " +
                    "writes: are the replica set's members lagging?).");
            }
            var events = await NextAsync(cancellationToken);
            var rename = events.FindIndex(e => e.OperationType is ChangeStreamOperationType.Rename or ChangeStreamOperationType.Invalidate
                or ChangeStreamOperationType.Drop);
            var writes = rename < 0 ? events : events[..rename];
            replayed += await ReplayAsync(writes, afterRename: true, cancellationToken);
            if (rename < 0) continue;
            if (events[rename].OperationType != ChangeStreamOperationType.Rename || events[rename].RenameTo?.CollectionName != names.Before)
            {
                throw new MigrationEngineException($"{names.Collection} was {Described(events[rename])} during the swap, by someone else than this step.");
            }
            return replayed;
        }
    }

    public ValueTask DisposeAsync()
    {
        cursor.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ChangeStreamOptions Options(BsonDocument? resumeAfter) => new()
    {
        FullDocument = ChangeStreamFullDocumentOption.UpdateLookup,
        ResumeAfter = resumeAfter,
        BatchSize = EventsPerBatch,
        MaxAwaitTime = AwaitEvents,
    };

    /// <summary>The optime of the last write the (primary) server has applied: <c>hello</c>'s <c>lastWrite.opTime.ts</c> (manual, "hello").</summary>
    private async Task<BsonTimestamp?> LastWriteAsync(CancellationToken cancellationToken)
    {
        var hello = await database.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken);
        return hello.GetValue("lastWrite", BsonNull.Value) is BsonDocument { } lastWrite
            && lastWrite.GetValue("opTime", BsonNull.Value) is BsonDocument { } opTime
            && opTime.GetValue("ts", BsonNull.Value) is BsonTimestamp { } ts
            ? ts
            : null;
    }

    private async Task<List<ChangeStreamDocument<BsonDocument>>> NextAsync(CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await cursor.MoveNextAsync(cancellationToken);
        }
        catch (MongoCommandException e) when (e.Code == ChangeStreamHistoryLost)
        {
            // The driver resumes a killed idle cursor from its last token (a copy held by a run's pause for over 10 minutes); past the
            // oplog's window that point is gone.
            throw new MigrationEngineException(
                $"The change stream on {names.Collection} can no longer follow it: the oplog no longer holds the writes made since its last batch, so " +
                $"{names.Shadow} may miss some. Roll the run back (it drops the shadow) and run it again.", e);
        }
        firstBatchTaken = true;
        if (!more)
        {
            throw new MigrationEngineException($"The change stream on {names.Collection} ended before the swap: the rebuild stops.");
        }
        return cursor.Current.ToList();
    }

    /// <summary>
    /// Applies events in their order with one ordered bulk write (an insert then a delete of the same document must stay in that order).
    /// </summary>
    private async Task<long> ReplayAsync(IReadOnlyList<ChangeStreamDocument<BsonDocument>> events, bool afterRename, CancellationToken cancellationToken)
    {
        var renamed = afterRename ? await InRenamedOriginalAsync(events, cancellationToken) : null;
        var writes = new List<WriteModel<BsonDocument>>();
        foreach (var change in events)
        {
            if (change.OperationType == ChangeStreamOperationType.Delete)
            {
                writes.Add(new DeleteOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", change.DocumentKey["_id"])));
            }
            else if (change.FullDocument is { } document)
            {
                writes.Add(transform.WriteFor(document));
            }
            else if (renamed is not null)
            {
                // After the rename the lookup by name finds nothing (see the remarks); the renamed original still carries the pause,
                // so only a delete can have changed it since the event: its document now is the newest image, and none means deleted.
                var id = change.DocumentKey["_id"];
                writes.Add(renamed.TryGetValue(id, out var current)
                    ? transform.WriteFor(current)
                    : new DeleteOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", id)));
            }
            // Otherwise the document was deleted after this update: its delete event follows and is replayed.
        }
        if (writes.Count > 0) await shadow.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = true }, cancellationToken);
        Replayed += events.Count;
        return events.Count;
    }

    /// <summary>The documents, as the renamed original holds them now, of the update events whose lookup found nothing.</summary>
    private async Task<Dictionary<BsonValue, BsonDocument>> InRenamedOriginalAsync(IReadOnlyList<ChangeStreamDocument<BsonDocument>> events,
        CancellationToken cancellationToken)
    {
        var ids = events.Where(e => e.OperationType != ChangeStreamOperationType.Delete && e.FullDocument is null)
            .Select(e => e.DocumentKey["_id"]).Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<BsonValue, BsonDocument>();
        var found = await database.GetCollection<BsonDocument>(names.Before)
            .Find(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids)))).ToListAsync(cancellationToken);
        return found.ToDictionary(document => document["_id"]);
    }

    private static string Described(ChangeStreamDocument<BsonDocument> change) => change.OperationType switch
    {
        ChangeStreamOperationType.Rename => $"renamed to {change.RenameTo?.CollectionName}",
        ChangeStreamOperationType.Drop => "dropped",
        ChangeStreamOperationType.Invalidate => "renamed or dropped (the stream was invalidated)",
        var other => $"changed ({other})",
    };
}
