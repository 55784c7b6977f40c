namespace BotCore.MigrationPortal.Backups.Storage;

/// <summary>
/// Where sandbox backups go unless <c>Backups:Location</c> says otherwise: a folder of this process's own that is deleted
/// when the portal stops, as the simulated targets are forgotten then too.
/// </summary>
public sealed class SandboxBackupFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "botcore-sandbox-backups", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
