namespace BotCore.MigrationPortal.Doctor.Probes;

/// <summary>Creates and deletes a probe file in Backups:Location (creating the folder, as the first backup would) and reads its free space.</summary>
public static class BackupLocationProbe
{
    public static async Task<BackupLocationReading> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var probe = Path.Combine(path, $".doctor-probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(path);
            await using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await file.WriteAsync(new byte[] { 1 }, cancellationToken);
            }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BackupLocationReading(path, $"{e.GetType().Name}: {e.Message}", null);
        }
        return new BackupLocationReading(path, null, FreeBytes(path));
    }

    private static long? FreeBytes(string path)
    {
        try
        {
            // On Linux and macOS any path names the file system it is on (statvfs); on Windows the drive of its root.
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
