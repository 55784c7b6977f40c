using System.Text;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Storage;

namespace BotCore.MigrationPortal.Cli;

/// <summary>A backup's manifest as a terminal shows it, and as JSON: the manifest file's own JSON, for pipelines.</summary>
public static class BackupText
{
    public static async Task<string> JsonAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await ManifestJson.WriteAsync(buffer, manifest, cancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(BackupManifest manifest, TextWriter output)
    {
        output.WriteLine($"Backup {manifest.Id} of {manifest.Target} ({manifest.Database}), taken {manifest.CreatedAt:u} by {manifest.CreatedBy}" +
            (manifest.Simulated ? " (simulated)" : ""));
        output.WriteLine($"  {(manifest.WholeDatabase ? "whole database" : "collections of a run")}, schema version {manifest.SchemaVersion ?? "none"}, " +
            $"{manifest.TotalBytes:N0} bytes" + (manifest.RunId is null ? "" : $", for run {manifest.RunId}"));
        foreach (var collection in manifest.Collections)
        {
            output.WriteLine($"  {collection.Name,-28} {collection.Type,-11} {collection.Documents,12:N0} documents {collection.Bytes,14:N0} bytes  {collection.ContentHash}");
        }
        output.WriteLine(Verification(manifest));
    }

    public static string Verification(BackupManifest manifest) => manifest.Verification switch
    {
        null => "  not verified yet: verify " + manifest.Id,
        { Passed: true } passed => $"  verified {passed.At:u}: {string.Join("; ", passed.Details)}",
        var failed => $"  FAILED verification {failed.At:u}: {string.Join("; ", failed.Details)}",
    };
}
