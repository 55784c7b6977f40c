namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// Where backups are kept and for how long (<c>Backups</c> in configuration).
/// </summary>
/// <param name="Location">A folder, absolute or relative to the content root; "backups" when not set (a temporary folder in sandbox mode).</param>
/// <param name="KeepDays">Backups older than this are removed by retention; 0 keeps them whatever their age.</param>
/// <param name="KeepPerTarget">Only this many of a target's newest backups are kept; 0 keeps any number.</param>
/// <param name="InsertBatchSize">How many documents a restore inserts per request (and at most 16 MiB).</param>
/// <param name="MaxAgeHours">How old a run's verified backup may be when the run is approved or started.</param>
public sealed record BackupOptions(string? Location = null, int KeepDays = 30, int KeepPerTarget = 10, int InsertBatchSize = 1000, int MaxAgeHours = 24)
{
    public const string Section = "Backups";
    public const string DefaultLocation = "backups";
}
