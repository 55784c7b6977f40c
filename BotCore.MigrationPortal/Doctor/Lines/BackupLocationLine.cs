using System.Globalization;

namespace BotCore.MigrationPortal.Doctor.Lines;

/// <summary>
/// Backups:Location: can this process write there, and is there room for a backup of the target? A backup is the documents'
/// BSON, gzipped: at most about <see cref="DatabaseSize.DataSize"/>, usually near <see cref="DatabaseSize.StorageSize"/>
/// (the server compresses too). Less free space than the compressed size fails; less than the uncompressed size warns.
/// </summary>
public static class BackupLocationLine
{
    public const string Id = "backups";
    public const string Title = "Backup location";

    /// <param name="simulatedSize">Say that the size is the sandbox's, not a server's.</param>
    public static DoctorLine Evaluate(BackupLocationReading location, DatabaseSize size, bool simulatedSize = false)
    {
        if (location.Problem is { } problem)
        {
            return DoctorLine.Fail(Id, Title, $"Backups:Location {location.Path} is not writable: {problem}",
                "Point Backups__Location at a folder this process may write to (a volume in docker-compose), or fix its permissions.");
        }
        if (location.FreeBytes is not { } free)
        {
            return DoctorLine.Warn(Id, Title, $"Backups:Location {location.Path} is writable, its free space is unknown", "Check the free space of that file system by hand.");
        }
        var where = $"Backups:Location {location.Path} is writable, {Bytes(free)} free";
        if (size.Problem is { } sizeProblem)
        {
            return DoctorLine.Warn(Id, Title, $"{where}; the database's size is unknown ({sizeProblem})",
                "Grant the user dbStats on the target database (read or dbAdmin) so that the free space can be compared with it.");
        }
        var target = simulatedSize
            ? "the simulated database holds no documents (simulated: 0 bytes)"
            : $"the database holds {Bytes(size.DataSize)} of documents ({Bytes(size.StorageSize)} compressed on the server)";
        if (free < size.StorageSize)
        {
            return DoctorLine.Fail(Id, Title, $"{where}; {target}", "Free space there or move Backups__Location: a backup would not fit.");
        }
        if (free < size.DataSize)
        {
            return DoctorLine.Warn(Id, Title, $"{where}; {target}",
                "Free space there or move Backups__Location: a backup fits only if gzip shrinks it as well as the server does.");
        }
        return DoctorLine.Pass(Id, Title, $"{where}; {target}");
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} bytes" : string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }
}
