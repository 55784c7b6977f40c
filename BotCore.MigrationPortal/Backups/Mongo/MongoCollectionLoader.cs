using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Running;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Puts one backed-up collection into a database as <c>mongorestore --drop</c> does, in three parts that verification and
/// restore both use: recreate it with its options (a view from its definition), insert its documents in unordered batches (a
/// time series' buckets into its buckets collection), create its indexes.
/// </summary>
/// <param name="keepEmptyTimestamps">The server takes <c>bypassEmptyTsReplacement</c> (<see cref="MongoServerVersion.KeepsEmptyTimestamps"/>).</param>
/// <param name="masking">A rehearsal's masking rules, applied to each document between reading and inserting it; null in a verification or a plain restore.</param>
public sealed class MongoCollectionLoader(IMongoDatabase database, BackupFiles files, BackupReporter reporter, int batchSize, LoadPurpose purpose,
    bool keepEmptyTimestamps, DocumentMasker? masking = null)
{
    private readonly Dictionary<MaskingRule, long> changed = [];

    public async Task<CollectionMetadata> ReadMetadataAsync(string collection, CancellationToken cancellationToken)
    {
        var path = files.Metadata(collection);
        await using var file = BackupFiles.OpenRead(path);
        var metadata = await CollectionMetadataFile.ReadAsync(file, Path.GetFileName(path), cancellationToken);
        return metadata.CollectionName == collection
            ? metadata
            : throw new BackupFileDamagedException(Path.GetFileName(path), $"it describes collection '{metadata.CollectionName}', not '{collection}'");
    }

    /// <summary>Reads the data file through without touching the database: what it holds, or the damage that stops it being read.</summary>
    public async Task<DataSummary> SummarizeFileAsync(CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        if (metadata.IsView) return DataSummary.Nothing;
        var path = files.Data(metadata.CollectionName, metadata.Type);
        await using var file = BackupFiles.OpenRead(path);
        return await new CollectionDataReader(file, Path.GetFileName(path)).SummarizeAsync(cancellationToken);
    }

    /// <summary>
    /// Whether the file's documents come back as they are on this server; null when they do, else why not: an insert replaces a
    /// top-level <c>Timestamp(0, 0)</c> with the current time on a server without <c>bypassEmptyTsReplacement</c>.
    /// </summary>
    public string? Unrestorable(BackupCollection expected, DataSummary file) =>
        file.WithEmptyTimestamps == 0 || keepEmptyTimestamps ? null
        : $"{DumpFileNames.Data(expected.Name, expected.Type)} holds {file.WithEmptyTimestamps:N0} documents with an empty timestamp (Timestamp(0, 0)) in a " +
          "top-level field, which this server would replace with the current time; restore on MongoDB 8.0, 7.0.13, 6.0.17 or 5.0.29 or later, " +
          "which keep them";

    /// <summary>Whether the data file holds exactly what the manifest recorded; null when it does, else what differs.</summary>
    public static string? Mismatch(BackupCollection expected, DataSummary file) =>
        file.Documents != expected.Documents ? $"{DumpFileNames.Data(expected.Name, expected.Type)} holds {file.Documents:N0} documents, the backup recorded {expected.Documents:N0}"
        : file.ContentHash != expected.ContentHash ? $"{DumpFileNames.Data(expected.Name, expected.Type)} does not hold what was backed up (its content hash differs)"
        : null;

    public async Task RecreateAsync(CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        var name = metadata.CollectionName;
        if (metadata.IsView)
        {
            await database.DropCollectionAsync(name, cancellationToken);
            await database.RunCommandAsync<BsonDocument>(MongoCreateOptions.ViewCommand(metadata), cancellationToken: cancellationToken);
            return;
        }
        // Options first: a collection must never be dropped for a backup whose options cannot be given back.
        var options = MongoCreateOptions.From(metadata, purpose,
            unsupported => reporter.Log($"{name}: collection option {unsupported} cannot be restored through the driver and was left out", RunEventLevel.Warning));
        await database.DropCollectionAsync(name, cancellationToken);
        await database.CreateCollectionAsync(name, options, cancellationToken);
    }

    /// <summary>Inserts the file's documents into the collection that holds them (a time series' buckets); returns what the file held, hashed as it was read.</summary>
    public async Task<DataSummary> InsertAsync(CollectionMetadata metadata, BackupReporter.CollectionStep step, CancellationToken cancellationToken)
    {
        if (metadata.IsView) return DataSummary.Nothing;
        // Two reasons to bypass the validator: the documents come back as they were, and a validator added or tightened since must not
        // refuse them; and a rehearsal's masking changes them. The bypass would also store what masking broke, so MaskingRules.CheckAgainst
        // refuses, before anything is dropped, a rule whose output the validator does not take. A time series' buckets are checked by
        // the server's own bucket validator, which mongorestore does not bypass either.
        var bypassValidation = purpose == LoadPurpose.Restore && metadata.Options.Contains("validator");
        var masks = masking?.Masks(metadata.CollectionName) == true;
        using var hash = new ContentHash();
        var batch = new List<RawBsonDocument>(batchSize);
        long batchBytes = 0;
        long documents = 0;
        long bytes = 0;
        var path = files.Data(metadata.CollectionName, metadata.Type);
        await using (var file = BackupFiles.OpenRead(path))
        {
            await foreach (var document in new CollectionDataReader(file, Path.GetFileName(path)).ReadAsync(cancellationToken))
            {
                // Hashed as read, so that the restore still proves the file held what was backed up; masked after, and the batch is
                // measured by what it carries: a hash is longer than most values it replaces.
                hash.Append(document);
                var inserted = masks ? masking!.Mask(metadata.CollectionName, document, changed) : document;
                if (batch.Count == batchSize || (batch.Count > 0 && batchBytes + inserted.Length > RestoreInsert.MaxBatchBytes))
                {
                    documents += await InsertBatchAsync(metadata.DataCollection, batch, bypassValidation, cancellationToken);
                    bytes += batchBytes;
                    (batch, batchBytes) = (new List<RawBsonDocument>(batchSize), 0);
                    step.Advance(documents);
                }
                batch.Add(new RawBsonDocument(inserted));
                batchBytes += inserted.Length;
            }
        }
        if (batch.Count > 0)
        {
            documents += await InsertBatchAsync(metadata.DataCollection, batch, bypassValidation, cancellationToken);
            bytes += batchBytes;
        }
        return new DataSummary(documents, bytes, hash.Finish());
    }

    /// <returns>How many indexes were created.</returns>
    public async Task<int> CreateIndexesAsync(CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        var name = metadata.CollectionName;
        var models = MongoIndexModels.For(metadata,
            unsupported => reporter.Log($"{name}: index option {unsupported} cannot be restored through the driver and was left out", RunEventLevel.Warning));
        if (models.Count > 0) await database.GetCollection<BsonDocument>(name).Indexes.CreateManyAsync(models, cancellationToken);
        return models.Count;
    }

    public async Task<IReadOnlyList<BsonDocument>> ListIndexesAsync(string collection, CancellationToken cancellationToken) =>
        await (await database.GetCollection<BsonDocument>(collection).Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken);

    /// <summary>
    /// Masks every document of the file without touching the database, before anything is dropped: a document masking cannot take
    /// (a field name twice, over 16 MiB once masked) then stops the restore while the target is untouched.
    /// </summary>
    /// <exception cref="BackupFailedException">A document cannot be masked.</exception>
    public async Task CheckMaskingAsync(CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        if (metadata.IsView || masking?.Masks(metadata.CollectionName) != true) return;
        var path = files.Data(metadata.CollectionName, metadata.Type);
        await using var file = BackupFiles.OpenRead(path);
        await foreach (var document in new CollectionDataReader(file, Path.GetFileName(path)).ReadAsync(cancellationToken)) masking.Mask(metadata.CollectionName, document);
    }

    /// <summary>How many values each masking rule changed in the documents inserted so far.</summary>
    public long Changed(MaskingRule rule) => changed.GetValueOrDefault(rule);

    private async Task<long> InsertBatchAsync(string collection, List<RawBsonDocument> batch, bool bypassValidation, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await database.RunCommandAsync<BsonDocument>(RestoreInsert.Command(collection, batch, bypassValidation, keepEmptyTimestamps),
                cancellationToken: cancellationToken);
            return RestoreInsert.Inserted(reply, batch.Count);
        }
        finally
        {
            foreach (var document in batch) document.Dispose();
        }
    }
}
