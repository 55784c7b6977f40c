using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Leases;
using BotCore.MigrationPortal.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups.Mongo;

/// <summary>
/// Backs up a MongoDB target as mongodump does (collections, time series as their buckets, views as their definition,
/// <c>system.js</c>), verifies a backup by restoring it into the target's scratch database and comparing, and restores a
/// backup over the target's collections. A backup is not a point-in-time copy: each collection is read as it is when its
/// turn comes (the target's lease keeps migrations out meanwhile, not the application).
/// </summary>
public sealed class MongoBackupEngine(BackupOptions options, LeaseOptions leaseOptions, TimeProvider time, ILogger<MongoBackupEngine> logger) : IBackupEngine
{
    /// <summary>mongodump copies this one system collection of a database (stored JavaScript functions); the rest are the server's.</summary>
    public const string SystemJs = "system.js";

    // Database names are at most 63 bytes.
    private const int LongestDatabaseName = 63;
    private const string ScratchSuffix = "_portal_verify";

    /// <summary>
    /// The lease and checkpoints are the portal's coordination state of the moment, not data: bringing an old lease back
    /// would lock the target, so they are neither backed up nor restored.
    /// </summary>
    private static readonly IReadOnlySet<string> NeverCopied = new HashSet<string>(StringComparer.Ordinal) { TargetCollections.Lock, TargetCollections.Checkpoints };

    /// <summary>
    /// The database a backup of <paramref name="database"/> is verified in: one per target, so that the portal's user needs
    /// privileges on it alone (README, "Targets"). It is emptied collection by collection, never dropped: dropDatabase is in no
    /// role the portal needs otherwise. What stays is its lease collection and, once a view or time series was restored there,
    /// the empty system.views MongoDB keeps, which only dropDatabase removes.
    /// </summary>
    public static string ScratchName(string database) => database[..Math.Min(database.Length, LongestDatabaseName - ScratchSuffix.Length)] + ScratchSuffix;

    /// <summary>Which collections of a database a backup copies: everything but MongoDB's own collections (save system.js) and the portal's coordination state.</summary>
    public static bool IsBackedUp(string collection) =>
        (!collection.StartsWith("system.", StringComparison.Ordinal) || collection == SystemJs) && !NeverCopied.Contains(collection);

    public async Task<DumpResult> DumpAsync(IMigrationTarget target, BackupPaths paths, string backupId, IReadOnlyCollection<string>? collections,
        BackupReporter reporter, CancellationToken cancellationToken)
    {
        var database = DatabaseOf(target);
        var name = database.DatabaseNamespace.DatabaseName;
        var files = paths.Files(backupId, name);
        Directory.CreateDirectory(files.DatabaseFolder);

        var listed = (await (await database.ListCollectionsAsync(cancellationToken: cancellationToken)).ToListAsync(cancellationToken))
            .Where(info => IsBackedUp(info["name"].AsString))
            .OrderBy(info => info["name"].AsString, StringComparer.Ordinal)
            .ToList();
        var copied = listed.Where(info => collections is null || collections.Contains(info["name"].AsString)).ToList();
        var absent = collections?.Where(c => !NeverCopied.Contains(c) && listed.All(info => info["name"].AsString != c)).Order(StringComparer.Ordinal).ToList() ?? [];

        // Several version documents (a database the spec's scripts built) record no one version: the manifest says none.
        var versions = await MongoCatalogReader.ReadVersionDocumentsAsync(database, cancellationToken);
        var dumper = new MongoCollectionDumper(database, files, reporter);
        var dumped = new List<BackupCollection>();
        for (var i = 0; i < copied.Count; i++) dumped.Add(await dumper.DumpAsync(copied[i], i + 1, copied.Count, cancellationToken));
        foreach (var missing in absent) reporter.Log($"{missing} does not exist: recorded as absent, so restoring this backup drops it again");
        return new DumpResult(name, dumped, absent, versions is [var single] ? single.Value : null);
    }

    public async Task<VerificationResult> VerifyAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, BackupReporter reporter,
        CancellationToken cancellationToken)
    {
        var scratchName = ScratchName(manifest.Database);
        var scratch = DatabaseOf(target).Client.GetDatabase(scratchName);
        TargetLease lease;
        try
        {
            lease = await TargetLease.AcquireAsync(scratchName, new MongoLeaseStore(scratch.GetCollection<LeaseRecord>(TargetCollections.Lock)),
                new LeaseHolder($"verify-{manifest.Id}", "backup verification"), leaseOptions, time, logger, cancellationToken);
        }
        catch (TargetLockedException e)
        {
            return new VerificationResult(false, [$"another verification ({e.Holder.RunId}) is using the scratch database {scratchName}: verify again once it has finished"]);
        }
        await using var held = lease;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);

        var version = await MongoServerVersion.ReadAsync(scratch, stop.Token);
        var loader = new MongoCollectionLoader(scratch, paths.Files(manifest.Id, manifest.Database), reporter, options.InsertBatchSize, LoadPurpose.Scratch,
            version.KeepsEmptyTimestamps);
        var results = new List<(bool Passed, string Line)>();
        reporter.Log($"Restoring into the scratch database {scratchName}, which is emptied afterwards");
        try
        {
            // What a verification that died midway left behind would mix with this one's copies.
            await ClearScratchAsync(scratch, stop.Token);
            for (var i = 0; i < manifest.Collections.Count; i++)
            {
                var collection = manifest.Collections[i];
                results.Add(await VerifyCollectionAsync(loader, scratch, collection, reporter.Start(i + 1, manifest.Collections.Count,
                    $"Verifying {collection.Name}", collection.Documents), stop.Token));
            }
        }
        finally
        {
            if (await TryClearScratchAsync(scratch) is { } problem) results.Add((false, problem));
        }
        return new VerificationResult(results.All(r => r.Passed), results.Select(r => r.Line).ToList());
    }

    public async Task<IReadOnlyList<string>> RestoreAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, DocumentMasker? masking,
        BackupReporter reporter, CancellationToken cancellationToken)
    {
        // The files are read from the backup's database folder whichever database they go into: a rehearsal restores them into another target's.
        var database = DatabaseOf(target);
        var version = await MongoServerVersion.ReadAsync(database, cancellationToken);
        var loader = new MongoCollectionLoader(database, paths.Files(manifest.Id, manifest.Database), reporter, options.InsertBatchSize, LoadPurpose.Restore,
            version.KeepsEmptyTimestamps, masking);
        var restored = manifest.Collections.Where(c => Restorable(c.Name, reporter)).ToList();

        // Every file is read through and checked against the manifest before the first collection is dropped: a missing or
        // damaged file, or documents this server would not store as they were, stop the restore while the target is untouched.
        var metadata = new Dictionary<string, CollectionMetadata>(StringComparer.Ordinal);
        foreach (var collection in restored)
        {
            metadata[collection.Name] = await loader.ReadMetadataAsync(collection.Name, cancellationToken);
            var file = await loader.SummarizeFileAsync(metadata[collection.Name], cancellationToken);
            if ((MongoCollectionLoader.Mismatch(collection, file) ?? loader.Unrestorable(collection, file)) is { } problem)
            {
                throw new BackupFailedException($"Nothing was changed: {problem}. Restore another backup.");
            }
            if (masking is not null)
            {
                if (MaskingRules.CheckAgainst(masking.Rules, metadata[collection.Name]) is { } refusal) throw new BackupFailedException(refusal);
                try
                {
                    await loader.CheckMaskingAsync(metadata[collection.Name], cancellationToken);
                }
                catch (BackupFailedException e)
                {
                    throw new BackupFailedException($"Nothing was changed: {e.Message}.", e);
                }
            }
        }
        reporter.Log($"All {restored.Count} collections' files read back as backed up ({restored.Sum(c => c.Documents):N0} documents); " +
            $"restoring into {database.DatabaseNamespace.DatabaseName} (MongoDB {version})");

        var lines = new List<string>();
        for (var i = 0; i < restored.Count; i++)
        {
            var expected = restored[i];
            var step = reporter.Start(i + 1, restored.Count, $"Restoring {expected.Name}", expected.Documents);
            try
            {
                await loader.RecreateAsync(metadata[expected.Name], cancellationToken);
                var inserted = await loader.InsertAsync(metadata[expected.Name], step, cancellationToken);
                var indexes = await loader.CreateIndexesAsync(metadata[expected.Name], cancellationToken);
                if (inserted.ContentHash != expected.ContentHash || inserted.Documents != expected.Documents)
                {
                    throw new BackupFileDamagedException(DumpFileNames.Data(expected.Name, expected.Type),
                        $"it no longer holds what was backed up ({inserted.Documents:N0} documents read, {expected.Documents:N0} recorded, or other content)");
                }
                var line = metadata[expected.Name].IsView
                    ? $"{expected.Name}: view restored"
                    : $"{expected.Name}: {inserted.Documents:N0} {Documents(expected)} and {indexes} indexes restored" + Masked(masking, loader, expected.Name);
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
        if (forgotten.DeletedCount > 0) lines.Add($"{Counted.Of(forgotten.DeletedCount, "batch checkpoint")} of interrupted data steps forgotten");
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
            var file = await loader.SummarizeFileAsync(metadata, cancellationToken);
            if ((MongoCollectionLoader.Mismatch(expected, file) ?? loader.Unrestorable(expected, file)) is { } problem)
            {
                result = (false, $"{expected.Name}: {problem}");
            }
            else if (metadata.IsView)
            {
                await loader.RecreateAsync(metadata, cancellationToken);
                var listed = await (await scratch.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", expected.Name) }, cancellationToken))
                    .SingleAsync(cancellationToken);
                result = listed.GetValue("options", new BsonDocument()) == metadata.Options
                    ? (true, $"{expected.Name}: view on {metadata.Options.GetValue("viewOn", "?")} restored as backed up")
                    : (false, $"{expected.Name}: the restored view differs from the backup's ({Engine.Catalog.CatalogJson.Inline(listed.GetValue("options", new BsonDocument()))})");
            }
            else
            {
                await loader.RecreateAsync(metadata, cancellationToken);
                await loader.InsertAsync(metadata, step, cancellationToken);
                // Compared before the indexes exist: a TTL index would let the server delete documents while they are read.
                var copy = await DumpQuery.SummarizeAsync(scratch.GetCollection<RawBsonDocument>(metadata.DataCollection), cancellationToken);
                await loader.CreateIndexesAsync(metadata, cancellationToken);
                var problems = new List<string>();
                if (copy.Documents != expected.Documents) problems.Add($"the restored copy holds {copy.Documents:N0} {Documents(expected)}, the backup {expected.Documents:N0}");
                else if (copy.ContentHash != expected.ContentHash) problems.Add($"the restored copy's {Documents(expected)} differ from the backup's (content hash)");
                problems.AddRange(IndexComparison.Differences(metadata.Indexes, await loader.ListIndexesAsync(expected.Name, cancellationToken)));
                result = problems.Count == 0
                    ? (true, $"{expected.Name}: {expected.Documents:N0} {Documents(expected)} and content hash match; {metadata.Indexes.Count} indexes match")
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

    /// <summary>
    /// "; masked: users.email hash: 1,204 values", the rules a rehearsal applied to the collection's documents and what each changed; a rule
    /// that changed nothing says so, for a mistyped path must not read as masked.
    /// </summary>
    private static string Masked(DocumentMasker? masking, MongoCollectionLoader loader, string collection) =>
        masking?.Rules.Where(r => r.Collection == collection).ToList() is { Count: > 0 } rules
            ? $"; masked: {string.Join("; ", rules.Select(r => loader.Changed(r) is var n and > 0 ? $"{r}: {Counted.Of(n, "value")}" : $"{r}: changed nothing: check the path"))}"
            : "";

    /// <summary>A time series is backed up, counted and hashed as its buckets.</summary>
    private static string Documents(BackupCollection collection) => collection.Type == CollectionMetadata.TimeSeriesType ? "buckets" : "documents";

    /// <summary>
    /// Drops each collection and view of the scratch database, leaving only its lease and MongoDB's own system collections:
    /// dropCollection, not dropDatabase, is what the scratch database's roles grant. A time series is dropped by its name, which
    /// drops its buckets too (dropping them directly would need a privilege on the buckets the roles do not give).
    /// </summary>
    private static async Task ClearScratchAsync(IMongoDatabase scratch, CancellationToken cancellationToken)
    {
        var names = await (await scratch.ListCollectionNamesAsync(cancellationToken: cancellationToken)).ToListAsync(cancellationToken);
        foreach (var name in names.Where(IsBackedUp)) await scratch.DropCollectionAsync(name, cancellationToken);
    }

    /// <summary>Empties the scratch database even when the verification was cancelled; says so when that fails, for someone to empty it by hand.</summary>
    private async Task<string?> TryClearScratchAsync(IMongoDatabase scratch)
    {
        try
        {
            await ClearScratchAsync(scratch, CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            var name = scratch.DatabaseNamespace.DatabaseName;
            logger.LogWarning("Could not empty the scratch database {Database}: {Problem}", name, e.Message);
            return $"the scratch database {name} could not be emptied ({e.Message}): drop its collections by hand";
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

    private static IMongoDatabase DatabaseOf(IMigrationTarget target) =>
        target is MongoMigrationTarget mongo ? mongo.Database : throw new BackupFailedException($"Target '{target.Name}' is not a MongoDB database.");
}
