using System.Security.Cryptography;
using BotCore.MigrationPortal.Backups.Storage;

namespace BotCore.MigrationPortal.Backups.Rehearsal;

/// <summary>
/// The portal's salt for hashed masking: <c>Backups:MaskingSalt</c> when it is set (so that several portals hash alike), else 32 random
/// bytes made once and kept in the backup folder's <c>masking-salt</c> file. Keeping it beside the backups gives nothing away: whoever
/// reads that folder reads the unmasked data anyway; what matters is that the rehearsal's destination does not hold it.
/// </summary>
public sealed class MaskingSalt(BackupOptions options, BackupPaths paths)
{
    public const string FileName = "masking-salt";
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.MaskingSalt)) return System.Text.Encoding.UTF8.GetBytes(options.MaskingSalt);
        var path = Path.Combine(paths.Root, FileName);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path)) return Convert.FromBase64String((await File.ReadAllTextAsync(path, cancellationToken)).Trim());
            var salt = RandomNumberGenerator.GetBytes(32);
            Directory.CreateDirectory(paths.Root);
            await File.WriteAllTextAsync(path, Convert.ToBase64String(salt), cancellationToken);
            return salt;
        }
        finally
        {
            gate.Release();
        }
    }
}
