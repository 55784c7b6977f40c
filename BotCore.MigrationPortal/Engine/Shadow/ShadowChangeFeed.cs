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
/// </remarks>
public sealed class ShadowChangeFeed : IAsyncDisposable
{
    /// <summary>ErrorCodes::ChangeStreamHistoryLost (src/mongo/base/error_codes.yml): the resume point is no longer in the oplog.</summary>
    private const int ChangeStreamHistoryLost = 286;

    /// <summary>ErrorCodes::ChangeStreamFatalError: the resume token cannot be used (for example, the collection was dropped).</summary>
    private const int ChangeStreamFatalError = 280;

    private const int EventsPerBatch = 1000;

    /// <summary>How long the swap waits for its own rename to reach the stream, while the collection's name is free.</summary>
    private static readonly TimeSpan RenameWait = TimeSpan.FromSeconds(30);

    private readonly IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor;
    private readonly ShadowNames names;
    private readonly IMongoCollection<BsonDocument> shadow;
    private readonly ShadowTransform transform;

    private ShadowChangeFeed(IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor, ShadowNames names, IMongoCollection<BsonDocument> shadow,
        ShadowTransform transform, string pass, bool resumed)
    {
        this.cursor = cursor;
        this.names = names;
        this.shadow = shadow;
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
        var shadow = database.GetCollection<BsonDocument>(names.Shadow);
        if (marker is not null && shadowExists)
        {
            try
            {
                var resumed = await source.WatchAsync(Options(marker["resume_token"].AsBsonDocument), cancellationToken);
                return new ShadowChangeFeed(resumed, names, shadow, transform, marker["pass"].AsString, resumed: true);
            }
            catch (MongoCommandException e) when (e.Code is ChangeStreamHistoryLost or ChangeStreamFatalError)
            {
                throw new MigrationEngineException(
                    $"The copy into {names.Shadow} was interrupted and cannot resume: the oplog no longer holds the writes made to {names.Collection} since it " +
                    "started, so the shadow may miss some. Roll the run back (it drops the shadow) and run it again.", e);
            }
        }
        if (shadowExists) await database.DropCollectionAsync(names.Shadow, cancellationToken);
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
        return new ShadowChangeFeed(cursor, names, shadow, transform, pass, resumed: false);
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
        // BatchProcessor names a checkpoint "<step key>/<pass>"; the pass is "copy-<ObjectId>", unique to this stream.
        await checkpoints.DeleteManyAsync(Builders<BsonDocument>.Filter.Regex("_id", new BsonRegularExpression($"/{marker["pass"].AsString}$")), cancellationToken);
        await checkpoints.DeleteOneAsync(new BsonDocument("_id", names.StreamMarker), cancellationToken);
    }

    /// <summary>
    /// Replays events until a batch comes back short of full: the stream had reached the end of the oplog when the server answered.
    /// Writers may go on meanwhile; the pause and <see cref="ReplayUntilRenamedAsync"/> close that gap.
    /// </summary>
    /// <returns>The events replayed by this call.</returns>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        long replayed = 0;
        while (true)
        {
            var events = await NextAsync(cancellationToken);
            var end = events.FindIndex(e => e.OperationType is not (ChangeStreamOperationType.Insert or ChangeStreamOperationType.Update
                or ChangeStreamOperationType.Replace or ChangeStreamOperationType.Delete));
            if (end >= 0)
            {
                throw new MigrationEngineException(
                    $"{names.Collection} was {Described(events[end])} while its shadow was built: the rebuild stops (the rollback drops {names.Shadow}).");
            }
            replayed += await ReplayAsync(events, afterRename: false, cancellationToken);
            if (events.Count < EventsPerBatch) return replayed;
        }
    }

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
                    "writes: are the replica set's members lagging?). The swap stops; the rollback renames it back.");
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
        MaxAwaitTime = TimeSpan.FromMilliseconds(500),
    };

    private async Task<List<ChangeStreamDocument<BsonDocument>>> NextAsync(CancellationToken cancellationToken)
    {
        if (!await cursor.MoveNextAsync(cancellationToken))
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
            else if (afterRename)
            {
                // The lookup read the collection after the rename: this update's result is known nowhere but in the renamed original.
                throw new MigrationEngineException(
                    $"An update to {names.Collection} _id {change.DocumentKey["_id"]} was made during the swap despite the write pause (a client that bypasses " +
                    "document validation?): the shadow cannot be sure to hold it, so the swap stops.");
            }
            // Otherwise the document was deleted after this update: its delete event follows and is replayed.
        }
        if (writes.Count > 0) await shadow.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = true }, cancellationToken);
        Replayed += events.Count;
        return events.Count;
    }

    private static string Described(ChangeStreamDocument<BsonDocument> change) => change.OperationType switch
    {
        ChangeStreamOperationType.Rename => $"renamed to {change.RenameTo?.CollectionName}",
        ChangeStreamOperationType.Drop => "dropped",
        ChangeStreamOperationType.Invalidate => "renamed or dropped (the stream was invalidated)",
        var other => $"changed ({other})",
    };
}
