using System.Collections.Concurrent;
using System.Text.Json;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Backups.Storage;

/// <summary>
/// The backups on disk, one folder each. The manifest is written last, so a folder without one is a backup that never
/// finished and is not listed. Manifest changes (verification, restores) are made one at a time per backup.
/// </summary>
public sealed class BackupStore(BackupPaths paths, ILogger<BackupStore> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> updates = new(StringComparer.Ordinal);

    public BackupPaths Paths => paths;

    /// <summary>Every finished backup, newest first.</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.Root)) return [];
        var manifests = new List<BackupManifest>();
        foreach (var id in Directory.EnumerateDirectories(paths.Root).Select(Path.GetFileName).Where(BackupIds.IsValid))
        {
            if (await ReadAsync(id!, cancellationToken) is { } manifest) manifests.Add(manifest);
        }
        return manifests.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>An id no backup in this folder has yet.</summary>
    public string NewId(string target, DateTime at)
    {
        string id;
        do id = BackupIds.New(target, at);
        while (Directory.Exists(paths.Folder(id)));
        return id;
    }

    /// <returns>Null when there is no such finished backup, or the id is not one.</returns>
    public Task<BackupManifest?> FindAsync(string backupId, CancellationToken cancellationToken) =>
        BackupIds.IsValid(backupId) ? ReadAsync(backupId, cancellationToken) : Task.FromResult<BackupManifest?>(null);

    /// <exception cref="ActionRefusedException">There is no such backup.</exception>
    public async Task<BackupManifest> GetAsync(string backupId, CancellationToken cancellationToken) =>
        await FindAsync(backupId, cancellationToken) ?? throw new ActionRefusedException($"There is no backup '{backupId}' in {paths.Root}.");

    /// <summary>Writes the manifest beside the files, replacing the previous one in one step (a reader never sees half of it).</summary>
    public async Task SaveAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        var path = paths.Manifest(manifest.Id);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await ManifestJson.WriteAsync(file, manifest, cancellationToken);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="ActionRefusedException">There is no such backup.</exception>
    public async Task<BackupManifest> UpdateAsync(string backupId, Func<BackupManifest, BackupManifest> change, CancellationToken cancellationToken)
    {
        var gate = updates.GetOrAdd(backupId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var changed = change(await GetAsync(backupId, cancellationToken));
            await SaveAsync(changed, cancellationToken);
            return changed;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes a backup's folder with everything in it; a backup that is already gone is fine.</summary>
    public void Delete(string backupId)
    {
        if (!BackupIds.IsValid(backupId)) throw new ArgumentException($"'{backupId}' is not a backup id.", nameof(backupId));
        var folder = paths.Folder(backupId);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private async Task<BackupManifest?> ReadAsync(string backupId, CancellationToken cancellationToken)
    {
        var path = paths.Manifest(backupId);
        if (!File.Exists(path)) return null;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            var manifest = await ManifestJson.ReadAsync(file, cancellationToken);
            if (manifest.Id == backupId) return manifest;
            logger.LogWarning("Backup folder {BackupId} holds the manifest of {ManifestId}; it is left out of the list", backupId, manifest.Id);
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            logger.LogWarning("Backup {BackupId} has an unreadable manifest ({Problem}); it is left out of the list", backupId, e.Message);
            return null;
        }
    }
}
