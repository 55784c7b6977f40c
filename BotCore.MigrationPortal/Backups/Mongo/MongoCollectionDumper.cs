using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Storage;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Copies one collection of a MongoDB database into mongodump's layout: its metadata, then its documents streamed from a
/// cursor in <c>_id</c> order straight into the gzip file, counted and hashed on the way.
/// </summary>
public sealed class MongoCollectionDumper(IMongoDatabase database, BackupFiles files, BackupReporter reporter)
{
    /// <param name="listed">The collection as <c>listCollections</c> reports it.</param>
    public async Task<BackupCollection> DumpAsync(BsonDocument listed, int number, int count, CancellationToken cancellationToken)
    {
        var name = listed["name"].AsString;
        var collection = database.GetCollection<RawBsonDocument>(name);
        var metadata = new CollectionMetadata(
            name,
            listed.GetValue("type", CollectionMetadata.CollectionType).AsString,
            listed.GetValue("options", new BsonDocument()).AsBsonDocument,
            await (await collection.Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken),
            UuidOf(listed));
        await using (var file = BackupFiles.Create(files.Metadata(name)))
        {
            await CollectionMetadataFile.WriteAsync(file, metadata, cancellationToken);
        }

        var expected = await DumpQuery.ExpectedAsync(collection, metadata, cancellationToken);
        var step = reporter.Start(number, count, $"Backing up {name}" + (metadata.IsTimeSeries ? " (time series: the documents as the collection shows them)" : ""), expected);
        DataSummary written;
        await using (var file = BackupFiles.Create(files.Data(name)))
        {
            await using var writer = new CollectionDataWriter(file, metadata);
            var buffer = new DocumentBuffer();
            using var cursor = await collection.FindAsync(FilterDefinition<RawBsonDocument>.Empty, DumpQuery.Options(metadata), cancellationToken);
            while (await cursor.MoveNextAsync(cancellationToken))
            {
                foreach (var document in cursor.Current)
                {
                    using (document) await writer.WriteAsync(buffer.Copy(document), cancellationToken);
                }
                step.Advance(writer.Documents);
            }
            written = await writer.CompleteAsync();
        }
        var bytes = BackupFiles.SizeOf(files.Data(name), files.Metadata(name));
        step.Finish($"{name}: {written.Documents:N0} documents, {metadata.Indexes.Count} indexes, {bytes:N0} bytes compressed");
        return new BackupCollection(name, metadata.Type, written.Documents, bytes, written.ContentHash);
    }

    // mongodump writes the UUID as 32 hex digits; mongorestore --preserveUUID reads it back in that form.
    private static string? UuidOf(BsonDocument listed) =>
        listed.GetValue("info", new BsonDocument()).AsBsonDocument.GetValue("uuid", BsonNull.Value) is BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } uuid
            ? Convert.ToHexStringLower(uuid.Bytes)
            : null;
}
