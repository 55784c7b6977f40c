using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Backups.Sandbox;

/// <summary>
/// Backups of a simulated target: the same files as for MongoDB, with the simulated catalog as metadata and no documents.
/// Verifying reads every file back and compares it with the manifest; restoring puts the backed-up collections (and the
/// schema version, when system_config was backed up) back into the simulated catalog. Every line says it is simulated.
/// </summary>
public sealed class SandboxBackupEngine : IBackupEngine
{
    private const string Simulated = "simulated, no documents";

    public async Task<DumpResult> DumpAsync(IMigrationTarget target, BackupPaths paths, string backupId, IReadOnlyCollection<string>? collections,
        BackupReporter reporter, CancellationToken cancellationToken)
    {
        var catalog = await target.ReadCatalogAsync(cancellationToken);
        var files = paths.Files(backupId, target.Name);
        Directory.CreateDirectory(files.DatabaseFolder);
        var names = (collections ?? [.. catalog.Collections.Keys, TargetCollections.SystemConfig]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var present = names.Select(name => (Name: name, Metadata: MetadataOf(catalog, name))).Where(c => c.Metadata is not null).ToList();
        var dumped = new List<BackupCollection>();
        for (var i = 0; i < present.Count; i++)
        {
            var (name, metadata) = present[i];
            var step = reporter.Start(i + 1, present.Count, $"Backing up {name} ({Simulated})", 0);
            await using (var file = BackupFiles.Create(files.Metadata(name)))
            {
                await CollectionMetadataFile.WriteAsync(file, metadata!, cancellationToken);
            }
            DataSummary written;
            await using (var file = BackupFiles.Create(files.Data(name, metadata!.Type)))
            {
                await using var writer = new CollectionDataWriter(file);
                written = await writer.CompleteAsync();
            }
            var bytes = BackupFiles.SizeOf(files.Data(name, metadata.Type), files.Metadata(name));
            step.Finish($"{name}: {Simulated}; {metadata.Indexes.Count} indexes from the simulated catalog");
            dumped.Add(new BackupCollection(name, metadata.Type, written.Documents, bytes, written.ContentHash));
        }
        var absent = names.Except(present.Select(c => c.Name)).ToList();
        foreach (var missing in absent) reporter.Log($"{missing} does not exist in the simulated catalog: recorded as absent, so restoring this backup drops it again");
        return new DumpResult(target.Name, dumped, absent, catalog.Version == SchemaVersion.Zero ? null : catalog.Version.ToString());
    }

    public async Task<VerificationResult> VerifyAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, BackupReporter reporter,
        CancellationToken cancellationToken)
    {
        var files = paths.Files(manifest.Id, manifest.Database);
        var results = new List<(bool Passed, string Line)>();
        for (var i = 0; i < manifest.Collections.Count; i++)
        {
            var expected = manifest.Collections[i];
            var step = reporter.Start(i + 1, manifest.Collections.Count, $"Verifying {expected.Name} ({Simulated})", 0);
            (bool Passed, string Line) result;
            try
            {
                var metadata = await ReadMetadataAsync(files, expected.Name, cancellationToken);
                if (!TargetCollections.IsOutsideCatalog(expected.Name)) CatalogMetadata.ToDefinition(metadata, DumpFileNames.Metadata(expected.Name));
                await using var file = BackupFiles.OpenRead(files.Data(expected.Name, expected.Type));
                var data = await new CollectionDataReader(file, DumpFileNames.Data(expected.Name, expected.Type)).SummarizeAsync(cancellationToken);
                result = data.Documents == expected.Documents && data.ContentHash == expected.ContentHash
                    ? (true, $"{expected.Name}: files readable and match the backup ({Simulated}; {metadata.Indexes.Count} indexes in the metadata)")
                    : (false, $"{expected.Name}: the file holds {data.Documents:N0} documents with another content hash than the backup recorded");
            }
            catch (BackupFileDamagedException e)
            {
                result = (false, $"{expected.Name}: {e.Message}");
            }
            step.Finish(result.Line, result.Passed);
            results.Add(result);
        }
        return new VerificationResult(results.All(r => r.Passed), results.Select(r => r.Line).ToList());
    }

    public async Task<IReadOnlyList<string>> RestoreAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, DocumentMasker? masking,
        BackupReporter reporter, CancellationToken cancellationToken)
    {
        var sandbox = target as SandboxMigrationTarget ?? throw new BackupFailedException($"Target '{target.Name}' is not a simulated target.");
        var files = paths.Files(manifest.Id, manifest.Database);
        var restored = new List<CollectionDefinition>();
        foreach (var collection in manifest.Collections.Where(c => !TargetCollections.IsOutsideCatalog(c.Name)))
        {
            var metadata = await ReadMetadataAsync(files, collection.Name, cancellationToken);
            // The same refusals as on MongoDB (unique index, validator), so that a rehearsal tried here fails where it would there.
            if (masking is not null && MaskingRules.CheckAgainst(masking.Rules, metadata) is { } refusal) throw new BackupFailedException(refusal);
            restored.Add(CatalogMetadata.ToDefinition(metadata, DumpFileNames.Metadata(collection.Name)));
        }
        var dropped = manifest.AbsentCollections.Where(name => !TargetCollections.IsOutsideCatalog(name)).ToList();
        var version = VersionOf(manifest);
        // Every file was read before anything changes, as on MongoDB; the simulated catalog then changes in one step.
        sandbox.RestoreCollections(restored, dropped, version);

        var lines = restored.Select(c => $"{c.Name}: restored into the simulated catalog with {c.Indexes.Count} indexes ({Simulated})" + Masked(masking, c.Name)).ToList();
        for (var i = 0; i < lines.Count; i++) reporter.Start(i + 1, lines.Count, $"Restoring {restored[i].Name}", 0).Finish(lines[i]);
        lines.AddRange(dropped.Select(name => $"{name}: did not exist when the backup was taken, removed from the simulated catalog"));
        lines.Add(version is not { } v ? "schema version left as it is (system_config was not asked for)"
            : manifest.SchemaVersion is null ? $"schema version set back to {v} (there was none when the backup was taken)"
            : $"schema version set back to {v} (system_config was in the backup)");
        foreach (var line in lines.Skip(restored.Count)) reporter.Log(line);
        return lines;
    }

    /// <summary>The masking the collection's documents would have had: there are none to mask here, but the rules are checked and shown as on MongoDB.</summary>
    private static string Masked(DocumentMasker? masking, string collection) =>
        masking?.Rules.Where(r => r.Collection == collection).ToList() is { Count: > 0 } rules ? $"; masking {string.Join("; ", rules)} (no documents to mask)" : "";

    private static CollectionMetadata? MetadataOf(SchemaCatalog catalog, string name) =>
        catalog.Find(name) is { } collection ? CatalogMetadata.From(collection)
        // The simulated target keeps its version in memory; its system_config exists exactly when a version is recorded.
        : name == TargetCollections.SystemConfig && catalog.Version != SchemaVersion.Zero ? CollectionMetadata.Plain(name)
        : null;

    /// <summary>The version a restore sets: the backup's when it holds system_config, none when system_config was absent, else unchanged.</summary>
    private static SchemaVersion? VersionOf(BackupManifest manifest) =>
        manifest.Collections.Any(c => c.Name == TargetCollections.SystemConfig) ? (manifest.SchemaVersion is { } v ? SchemaVersion.Parse(v) : SchemaVersion.Zero)
        : manifest.AbsentCollections.Contains(TargetCollections.SystemConfig) ? SchemaVersion.Zero
        : null;

    private static async Task<CollectionMetadata> ReadMetadataAsync(BackupFiles files, string name, CancellationToken cancellationToken)
    {
        await using var file = BackupFiles.OpenRead(files.Metadata(name));
        return await CollectionMetadataFile.ReadAsync(file, DumpFileNames.Metadata(name), cancellationToken);
    }
}
