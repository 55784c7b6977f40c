namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// Where backups are kept and for how long (<c>Backups</c> in configuration).
/// </summary>
/// <param name="Location">A folder, absolute or relative to the content root; "backups" when not set (a temporary folder in sandbox mode).</param>
/// <param name="KeepDays">Backups older than this are removed by retention; 0 keeps them whatever their age.</param>
/// <param name="KeepPerTarget">Only this many of a target's newest backups are kept; 0 keeps any number.</param>
/// <param name="InsertBatchSize">
/// How many documents a restore (or a verification) inserts per request, and at most 16 MiB of them: 1 to
/// <see cref="MaxInsertBatchSize"/>. The insert is one command document, which the server takes up to 16 MiB + 16 KiB
/// (BSONObjMaxInternalSize); with 16 MiB of documents, the 16 KiB must hold the command's own bytes, and each document in its
/// <c>documents</c> array costs a type byte, its index as a decimal string and a NUL: 4,890 bytes for 1,000 documents, 10,890 for
/// 2,000, more than 16 KiB from about 2,800. 2,000 leaves over 5 KiB for the collection's name and what the driver adds ($db,
/// lsid, $clusterTime). (The server's own limit, maxWriteBatchSize, is 100,000 documents.)
/// </param>
/// <param name="MaxAgeHours">How old a run's verified backup may be when the run is approved or started.</param>
/// <param name="AttachMaxAgeHours">
/// How old a verified whole-database backup of a run's target (say, one taken from the Backups page) may be when it is attached to
/// the run in place of a backup of its own: "taken shortly before". 6 hours by default: the same working day, before anything else
/// is likely to have changed the target; the version check (<c>RunBackupRules.CheckAttach</c>) catches a migration meanwhile.
/// </param>
/// <param name="RestoreSlaHours">The spec's backup/restore SLA ("Emergency contacts": 2 hours): how long a restore may take (see <see cref="RestoreSla"/>).</param>
/// <param name="MaskingSalt">The salt of hashed masking in rehearsal restores; when not set, one is made and kept in the backup folder (see <c>MaskingSalt</c>).</param>
public sealed record BackupOptions(string? Location = null, int KeepDays = 30, int KeepPerTarget = 10, int InsertBatchSize = 1000, int MaxAgeHours = 24,
    int AttachMaxAgeHours = 6, double RestoreSlaHours = 2, string? MaskingSalt = null)
{
    public const string Section = "Backups";
    public const string DefaultLocation = "backups";

    /// <summary>The largest <see cref="InsertBatchSize"/> whose full batch of 16 MiB still fits in one command (see there).</summary>
    public const int MaxInsertBatchSize = 2000;

    /// <summary>How long a restore may take (see <see cref="RestoreSlaHours"/>): the spec's backup and restore SLA.</summary>
    public TimeSpan RestoreSla => TimeSpan.FromHours(RestoreSlaHours);

    /// <summary>How old an attached whole-database backup may be (see <see cref="AttachMaxAgeHours"/>).</summary>
    public TimeSpan AttachMaxAge => TimeSpan.FromHours(AttachMaxAgeHours);

    /// <summary>The <c>Backups</c> section, or the defaults.</summary>
    /// <exception cref="InvalidOperationException">A value is out of its range: the portal (and the CLI) does not start.</exception>
    public static BackupOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<BackupOptions>() ?? new BackupOptions();
        if (options.RestoreSlaHours <= 0)
        {
            throw new InvalidOperationException($"{Section}:{nameof(RestoreSlaHours)} is {options.RestoreSlaHours}; it must be more than 0 (hours).");
        }
        if (options.AttachMaxAgeHours < 1)
        {
            throw new InvalidOperationException($"{Section}:{nameof(AttachMaxAgeHours)} is {options.AttachMaxAgeHours}; it must be at least 1 (hours).");
        }
        return options.InsertBatchSize is < 1 or > MaxInsertBatchSize
            ? throw new InvalidOperationException(
                $"{Section}:{nameof(InsertBatchSize)} is {options.InsertBatchSize}; it must be between 1 and {MaxInsertBatchSize:N0}, so that a full " +
                "batch of 16 MiB of documents still fits in one insert command (16 MiB + 16 KiB).")
            : options;
    }
}
