using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// Names of backups and of their background operations. A backup id is also its folder's name, so an id that comes from a
/// page or a URL is used only when it has exactly this shape (nothing like "../" reaches the file system).
/// </summary>
public static partial class BackupIds
{
    /// <summary>A new backup id: when, of which target, and four random hex digits; ids sort by time.</summary>
    public static string New(string target, DateTime at) =>
        $"{at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Safe(target)}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";

    public static bool IsValid(string? id) => id is not null && BackupId().IsMatch(id);

    /// <summary>The event stream of a whole-database backup requested on the backups page.</summary>
    public static string BackupOperation(string target, DateTime at) => $"backup-{New(target, at)}";

    /// <summary>The event stream of a verification requested on the backups page.</summary>
    public static string VerifyOperation(string backupId) => $"verify-{backupId}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";

    /// <summary>The event stream of the <paramref name="number"/>th restore of a backup.</summary>
    public static string RestoreOperation(string backupId, int number) => $"restore-{backupId}-{number}";

    /// <summary>The event stream of the next restore of <paramref name="backup"/> (from the Backups page, a rollback run or the command line).</summary>
    public static string NextRestoreOperation(BackupManifest backup) => RestoreOperation(backup.Id, backup.Restores.Count + 1);

    /// <summary>Whether <paramref name="id"/> names one of the operations above (the backups page follows nothing else).</summary>
    public static bool IsOperation(string? id) => id is not null && Operation().IsMatch(id);

    private static string Safe(string target)
    {
        var safe = new string(target.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' ? c : '_').ToArray());
        return safe.Length > 40 ? safe[..40] : safe;
    }

    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[a-z0-9_]{1,40}-[0-9a-f]{4}$")]
    private static partial Regex BackupId();

    [GeneratedRegex("^(backup-[0-9]{8}-[0-9]{6}-[a-z0-9_]{1,40}-[0-9a-f]{4}|verify-[0-9]{8}-[0-9]{6}-[a-z0-9_]{1,40}-[0-9a-f]{4}-[0-9a-f]{4}|restore-[0-9]{8}-[0-9]{6}-[a-z0-9_]{1,40}-[0-9a-f]{4}-[0-9]{1,6})$")]
    private static partial Regex Operation();
}
