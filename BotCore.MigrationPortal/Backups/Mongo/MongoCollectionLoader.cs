using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Running;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Puts one backed-up collection into a database as <c>mongorestore --drop</c> does, in three parts that verification and
/// restore both use: recreate it with its options, insert its documents in unordered batches, create its indexes.
/// </summary>
public sealed class MongoCollectionLoader(IMongoDatabase database, BackupFiles files, BackupReporter reporter, int batchSize)
{
    // The server takes at most 48 MB per insert message; well below that keeps memory flat with large documents.
    private const long BatchBytes = 16 * 1024 * 1024;

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
        var path = files.Data(metadata.CollectionName);
        await using var file = BackupFiles.OpenRead(path);
        return await new CollectionDataReader(file, Path.GetFileName(path)).SummarizeAsync(metadata, cancellationToken);
    }

    /// <summary>Whether the data file holds exactly what the manifest recorded; null when it does, else what differs.</summary>
    public static string? Mismatch(BackupCollection expected, DataSummary file) =>
        file.Documents != expected.Documents ? $"{DumpFileNames.Data(expected.Name)} holds {file.Documents:N0} documents, the backup recorded {expected.Documents:N0}"
        : file.ContentHash != expected.ContentHash ? $"{DumpFileNames.Data(expected.Name)} does not hold what was backed up (its content hash differs)"
        : null;

    /// <param name="withExpiry">False for a scratch copy, so that the server deletes nothing while it is compared.</param>
    public async Task RecreateAsync(CollectionMetadata metadata, bool withExpiry, CancellationToken cancellationToken)
    {
        var name = metadata.CollectionName;
        // Options first: a collection must never be dropped for a backup whose options cannot be given back.
        var options = MongoCreateOptions.From(metadata, withExpiry,
            unsupported => reporter.Log($"{name}: collection option {unsupported} cannot be restored through the driver and was left out", RunEventLevel.Warning));
        await database.DropCollectionAsync(name, cancellationToken);
        await database.CreateCollectionAsync(name, options, cancellationToken);
    }

    /// <summary>Inserts the file's documents; returns what the file held, hashed as it was read.</summary>
    public async Task<DataSummary> InsertAsync(CollectionMetadata metadata, BackupReporter.CollectionStep step, CancellationToken cancellationToken)
    {
        var name = metadata.CollectionName;
        var collection = database.GetCollection<RawBsonDocument>(name);
        var insert = new InsertManyOptions
        {
            IsOrdered = false,
            // The documents come back as they were: a validator added or tightened since must not refuse them.
            BypassDocumentValidation = metadata.Options.Contains("validator") ? true : null,
        };
        using var hash = ContentHash.For(metadata);
        var batch = new List<RawBsonDocument>(batchSize);
        long batchBytes = 0;
        long documents = 0;
        long bytes = 0;
        var path = files.Data(name);
        await using (var file = BackupFiles.OpenRead(path))
        {
            await foreach (var document in new CollectionDataReader(file, Path.GetFileName(path)).ReadAsync(cancellationToken))
            {
                hash.Append(document);
                batch.Add(new RawBsonDocument(document));
                batchBytes += document.Length;
                if (batch.Count < batchSize && batchBytes < BatchBytes) continue;
                await collection.InsertManyAsync(batch, insert, cancellationToken);
                documents += batch.Count;
                bytes += batchBytes;
                (batch, batchBytes) = (new List<RawBsonDocument>(batchSize), 0);
                step.Advance(documents);
            }
        }
        if (batch.Count > 0)
        {
            await collection.InsertManyAsync(batch, insert, cancellationToken);
            documents += batch.Count;
            bytes += batchBytes;
        }
        return new DataSummary(documents, bytes, hash.Finish());
    }

    /// <returns>How many indexes were created.</returns>
    public async Task<int> CreateIndexesAsync(CollectionMetadata metadata, CancellationToken cancellationToken)
    {
        var name = metadata.CollectionName;
        var models = metadata.Indexes
            .Where(index => !MongoIndexModels.IsCreatedWithCollection(index))
            .Select(index => MongoIndexModels.From(index,
                unsupported => reporter.Log($"{name}: index option {unsupported} cannot be restored through the driver and was left out", RunEventLevel.Warning)))
            .ToList();
        if (models.Count > 0) await database.GetCollection<BsonDocument>(name).Indexes.CreateManyAsync(models, cancellationToken);
        return models.Count;
    }

    public async Task<IReadOnlyList<BsonDocument>> ListIndexesAsync(string collection, CancellationToken cancellationToken) =>
        await (await database.GetCollection<BsonDocument>(collection).Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken);
}
