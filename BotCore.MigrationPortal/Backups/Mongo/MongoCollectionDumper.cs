using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Copies one collection of a MongoDB database as mongodump does: its metadata (options, indexes, UUID), then its documents
/// streamed from a cursor in <c>_id</c> order straight into the gzip file, counted and hashed on the way. A time series is
/// copied as its buckets (<c>system.buckets.&lt;name&gt;.bson.gz</c> beside the collection's metadata), which mongorestore
/// inserts back as they are; a view as its metadata alone.
/// </summary>
public sealed class MongoCollectionDumper(IMongoDatabase database, BackupFiles files, BackupReporter reporter)
{
    /// <param name="listed">The collection as <c>listCollections</c> reports it.</param>
    public async Task<BackupCollection> DumpAsync(BsonDocument listed, int number, int count, CancellationToken cancellationToken)
    {
        var name = listed["name"].AsString;
        var type = listed.GetValue("type", CollectionMetadata.CollectionType).AsString;
        var metadata = new CollectionMetadata(
            name,
            type,
            listed.GetValue("options", new BsonDocument()).AsBsonDocument,
            // A view has no indexes, and listIndexes refuses one; a time series lists those of its measurements, as mongodump keeps them.
            type == CollectionMetadata.ViewType ? [] : await (await database.GetCollection<BsonDocument>(name).Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken),
            MongoCollectionUuid.Of(listed) is { } uuid ? Convert.ToHexStringLower(uuid.ToByteArray(bigEndian: true)) : null);
        await using (var file = BackupFiles.Create(files.Metadata(name)))
        {
            await CollectionMetadataFile.WriteAsync(file, metadata, cancellationToken);
        }
        if (metadata.IsView)
        {
            reporter.Start(number, count, $"Backing up {name} (a view: its definition, no documents)", 0)
                .Finish($"{name}: view on {metadata.Options.GetValue("viewOn", "?")}, definition only");
            return new BackupCollection(name, type, 0, BackupFiles.SizeOf(files.Metadata(name)), ContentHash.OfNothing);
        }

        var data = database.GetCollection<RawBsonDocument>(metadata.DataCollection);
        var expected = await DumpQuery.ExpectedAsync(data, cancellationToken);
        var step = reporter.Start(number, count, $"Backing up {name}" + (metadata.IsTimeSeries ? $" (time series: its buckets, {metadata.DataCollection})" : ""), expected);
        DataSummary written;
        await using (var file = BackupFiles.Create(files.Data(name, type)))
        {
            await using var writer = new CollectionDataWriter(file);
            var buffer = new DocumentBuffer();
            using var cursor = await data.FindAsync(FilterDefinition<RawBsonDocument>.Empty, DumpQuery.Options, cancellationToken);
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
        var bytes = BackupFiles.SizeOf(files.Data(name, type), files.Metadata(name));
        step.Finish($"{name}: {written.Documents:N0} {(metadata.IsTimeSeries ? "buckets" : "documents")}, {metadata.Indexes.Count} indexes, {bytes:N0} bytes compressed");
        return new BackupCollection(name, type, written.Documents, bytes, written.ContentHash);
    }
}
