using System.Security.Cryptography;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Backs up a MongoDB target in mongodump's layout, verifies a backup by restoring it into a scratch database that is
/// dropped afterwards whatever happens, and restores a backup over the target's collections.
/// </summary>
public sealed class MongoBackupEngine(BackupOptions options, ILogger<MongoBackupEngine> logger) : IBackupEngine
{
    // Database names are at most 63 bytes.
    private const int LongestDatabaseName = 63;

    /// <summary>
    /// The lease and checkpoints are the portal's coordination state of the moment, not data: bringing an old lease back
    /// would lock the target, so they are neither backed up nor restored.
    /// </summary>
    private static readonly IReadOnlySet<string> NeverCopied = new HashSet<string>(StringComparer.Ordinal) { TargetCollections.Lock, TargetCollections.Checkpoints };

    public async Task<DumpResult> DumpAsync(IMigrationTarget target, BackupPaths paths, string backupId, IReadOnlyCollection<string>? collections,
        BackupReporter reporter, CancellationToken cancellationToken)
    {
        var database = DatabaseOf(target);
        var name = database.DatabaseNamespace.DatabaseName;
        var files = paths.Files(backupId, name);
        Directory.CreateDirectory(files.DatabaseFolder);

        var listed = (await (await database.ListCollectionsAsync(cancellationToken: cancellationToken)).ToListAsync(cancellationToken))
            .Where(info => !info["name"].AsString.StartsWith("system.", StringComparison.Ordinal) && !NeverCopied.Contains(info["name"].AsString))
            .OrderBy(info => info["name"].AsString, StringComparer.Ordinal)
            .ToList();
        foreach (var view in listed.Where(info => info.GetValue("type", "collection") == "view" && (collections is null || collections.Contains(info["name"].AsString))))
        {
            reporter.Log($"{view["name"]} is a view: it holds no documents and is not backed up", RunEventLevel.Warning);
        }
        var copied = listed
            .Where(info => info.GetValue("type", "collection").AsString is CollectionMetadata.CollectionType or CollectionMetadata.TimeSeriesType)
            .Where(info => collections is null || collections.Contains(info["name"].AsString))
            .ToList();
        var absent = collections?.Where(c => !NeverCopied.Contains(c) && listed.All(info => info["name"].AsString != c)).Order(StringComparer.Ordinal).ToList() ?? [];

        var version = await MongoCatalogReader.ReadVersionDocumentAsync(database, cancellationToken);
        var dumper = new MongoCollectionDumper(database, files, reporter);
        var dumped = new List<BackupCollection>();
        for (var i = 0; i < copied.Count; i++) dumped.Add(await dumper.DumpAsync(copied[i], i + 1, copied.Count, cancellationToken));
        foreach (var missing in absent) reporter.Log($"{missing} does not exist: recorded as absent, so restoring this backup drops it again");
        return new DumpResult(name, dumped, absent, version?.GetValue("value", BsonNull.Value) is { IsString: true } value ? value.AsString : null);
    }

    public async Task<VerificationResult> VerifyAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, BackupReporter reporter,
        CancellationToken cancellationToken)
    {
        var client = DatabaseOf(target).Client;
        var scratchName = ScratchName(manifest.Database);
        var scratch = client.GetDatabase(scratchName);
        var loader = new MongoCollectionLoader(scratch, paths.Files(manifest.Id, manifest.Database), reporter, options.InsertBatchSize);
        var results = new List<(bool Passed, string Line)>();
        reporter.Log($"Restoring into the scratch database {scratchName}, which is dropped afterwards");
        try
        {
            for (var i = 0; i < manifest.Collections.Count; i++)
            {
                results.Add(await VerifyCollectionAsync(loader, scratch, manifest.Collections[i], reporter.Start(i + 1, manifest.Collections.Count,
                    $"Verifying {manifest.Collections[i].Name}", manifest.Collections[i].Documents), cancellationToken));
            }
        }
        finally
        {
            if (await DropScratchAsync(client, scratchName) is { } problem) results.Add((false, problem));
        }
        return new VerificationResult(results.All(r => r.Passed), results.Select(r => r.Line).ToList());
    }

    public async Task<IReadOnlyList<string>> RestoreAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, BackupReporter reporter,
        CancellationToken cancellationToken)
    {
        var database = DatabaseOf(target);
        var loader = new MongoCollectionLoader(database, paths.Files(manifest.Id, manifest.Database), reporter, options.InsertBatchSize);
        var restored = manifest.Collections.Where(c => Restorable(c.Name, reporter)).ToList();

        // Every file is read through and checked against the manifest before the first collection is dropped: a missing or
        // damaged file stops the restore while the target is still untouched.
        var metadata = new Dictionary<string, CollectionMetadata>(StringComparer.Ordinal);
        foreach (var collection in restored)
        {
            metadata[collection.Name] = await loader.ReadMetadataAsync(collection.Name, cancellationToken);
            if (MongoCollectionLoader.Mismatch(collection, await loader.SummarizeFileAsync(metadata[collection.Name], cancellationToken)) is { } mismatch)
            {
                throw new BackupFailedException($"Nothing was changed: {mismatch}. Restore another backup.");
            }
        }
        reporter.Log($"All {restored.Count} collections' files read back as backed up ({restored.Sum(c => c.Documents):N0} documents); " +
            $"restoring into {database.DatabaseNamespace.DatabaseName}");

        var lines = new List<string>();
        for (var i = 0; i < restored.Count; i++)
        {
            var expected = restored[i];
            var step = reporter.Start(i + 1, restored.Count, $"Restoring {expected.Name}", expected.Documents);
            try
            {
                await loader.RecreateAsync(metadata[expected.Name], withExpiry: true, cancellationToken);
                var inserted = await loader.InsertAsync(metadata[expected.Name], step, cancellationToken);
                var indexes = await loader.CreateIndexesAsync(metadata[expected.Name], cancellationToken);
                if (inserted.ContentHash != expected.ContentHash || inserted.Documents != expected.Documents)
                {
                    throw new BackupFileDamagedException(DumpFileNames.Data(expected.Name),
                        $"it no longer holds what was backed up ({inserted.Documents:N0} documents read, {expected.Documents:N0} recorded, or other content)");
                }
                var line = $"{expected.Name}: {inserted.Documents:N0} documents and {indexes} indexes restored";
                step.Finish(line);
                lines.Add(line);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                step.Finish($"{expected.Name}: {e.Message}", passed: false);
                throw new BackupFailedException(
                    $"Restoring {expected.Name} failed: {e.Message} {i} of {restored.Count} collections were restored before it" +
                    (i == 0 ? "" : $" ({string.Join(", ", restored.Take(i).Select(c => c.Name))})") +
                    $"; {expected.Name} may be incomplete and the rest are as they were. Fix the cause and restore again: a restore can be repeated.", e);
            }
        }
        foreach (var name in manifest.AbsentCollections.Where(name => Restorable(name, reporter)))
        {
            await database.DropCollectionAsync(name, cancellationToken);
            var line = $"{name}: did not exist when the backup was taken, dropped";
            reporter.Log(line);
            lines.Add(line);
        }
        // A batch checkpoint points into documents the restore just replaced: a later run must process them all again.
        var forgotten = await database.GetCollection<BsonDocument>(TargetCollections.Checkpoints).DeleteManyAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken);
        if (forgotten.DeletedCount > 0) lines.Add($"{forgotten.DeletedCount} batch checkpoint(s) of interrupted data steps forgotten");
        return lines;
    }

    private static async Task<(bool Passed, string Line)> VerifyCollectionAsync(MongoCollectionLoader loader, IMongoDatabase scratch, BackupCollection expected,
        BackupReporter.CollectionStep step, CancellationToken cancellationToken)
    {
        (bool Passed, string Line) result;
        try
        {
            var metadata = await loader.ReadMetadataAsync(expected.Name, cancellationToken);
            // The file is read through first: damage is then reported as such, not as whatever the server makes of damaged documents.
            if (MongoCollectionLoader.Mismatch(expected, await loader.SummarizeFileAsync(metadata, cancellationToken)) is { } mismatch)
            {
                result = (false, $"{expected.Name}: {mismatch}");
            }
            else
            {
                await loader.RecreateAsync(metadata, withExpiry: false, cancellationToken);
                await loader.InsertAsync(metadata, step, cancellationToken);
                // Compared before the indexes exist: a TTL index would let the server delete documents while they are read.
                var copy = await DumpQuery.SummarizeAsync(scratch.GetCollection<RawBsonDocument>(expected.Name), metadata, cancellationToken);
                await loader.CreateIndexesAsync(metadata, cancellationToken);
                var problems = new List<string>();
                if (copy.Documents != expected.Documents) problems.Add($"the restored copy holds {copy.Documents:N0} documents, the backup {expected.Documents:N0}");
                else if (copy.ContentHash != expected.ContentHash) problems.Add("the restored copy's documents differ from the backup's (content hash)");
                problems.AddRange(IndexComparison.Differences(metadata.Indexes, await loader.ListIndexesAsync(expected.Name, cancellationToken)));
                result = problems.Count == 0
                    ? (true, $"{expected.Name}: {expected.Documents:N0} documents and content hash match; {metadata.Indexes.Count} indexes match")
                    : (false, $"{expected.Name}: {string.Join("; ", problems)}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever stops one collection from coming back (a damaged file, an option the server refuses) fails its verification, not the portal.
            result = (false, $"{expected.Name}: {e.Message}");
        }
        step.Finish(result.Line, result.Passed);
        return result;
    }

    /// <summary>Drops the scratch database even when the verification was cancelled; says so when that fails, for someone to drop it by hand.</summary>
    private async Task<string?> DropScratchAsync(IMongoClient client, string name)
    {
        try
        {
            await client.DropDatabaseAsync(name, CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            logger.LogWarning("Could not drop the scratch database {Database}: {Problem}", name, e.Message);
            return $"the scratch database {name} could not be dropped ({e.Message}): drop it by hand";
        }
    }

    /// <summary>
    /// The changelog records what happened to the target (the restorer appends the restore to it), so it is left as it is;
    /// system_config comes back with the rest, and with it the schema version of the backup.
    /// </summary>
    private static bool Restorable(string collection, BackupReporter reporter)
    {
        if (collection == TargetCollections.Changelog)
        {
            reporter.Log($"{collection} is left as it is: it records what happened to the target, this restore included");
            return false;
        }
        return !NeverCopied.Contains(collection);
    }

    private static string ScratchName(string database)
    {
        var suffix = $"_verify_{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        return database[..Math.Min(database.Length, LongestDatabaseName - suffix.Length)] + suffix;
    }

    private static IMongoDatabase DatabaseOf(IMigrationTarget target) =>
        target is MongoMigrationTarget mongo ? mongo.Database : throw new BackupFailedException($"Target '{target.Name}' is not a MongoDB database.");
}
