using System.Globalization;

namespace BotCore.MigrationPortal.Backups;

/// <summary>What a backup's restore is projected to take, at the slowest throughput measured recently on its target.</summary>
/// <param name="MeasuredBy">The measurement the projection rests on: "restore R of backup B" or "verification of backup B".</param>
public sealed record RestoreProjection(TimeSpan Projected, double BytesPerSecond, string MeasuredBy, bool ExceedsSla);

/// <summary>
/// The spec's backup/restore SLA (2 hours unless <c>Backups:RestoreSlaHours</c> says otherwise): how a finished restore's duration
/// reads against it, and how long restoring a verified backup would take. The projection divides the backup's size by the slowest
/// throughput (bytes of backup files per second) among the newest measurements on the same target's server: restores into that
/// target and verifications of its backups (each restores the whole backup into the scratch database on the same server). The
/// slowest, not the mean: the SLA is a promise for a bad night.
/// </summary>
public sealed class RestoreSla(BackupOptions options)
{
    /// <summary>How many of the newest measurements the projection looks at: recent enough to reflect the server as it is.</summary>
    public const int Measurements = 5;

    public TimeSpan Limit => options.RestoreSla;

    public string LimitText => Span(Limit);

    public bool Exceeds(TimeSpan duration) => duration > Limit;

    /// <summary>"took 4 min 10 s, within the 2 h SLA"; null while the restore has no duration.</summary>
    public string? Describe(BackupRestore restore) => restore.Duration is { } took
        ? $"took {Span(took)}, {(Exceeds(took) ? "OVER" : "within")} the {LimitText} restore SLA"
        : null;

    /// <summary>The projection for a verified backup, or null when it is not verified or nothing has been measured on its target.</summary>
    /// <param name="all">Every backup, for their restores and verifications.</param>
    public RestoreProjection? Project(BackupManifest backup, IReadOnlyList<BackupManifest> all)
    {
        if (!backup.IsVerified) return null;
        var measured = MeasurementsOn(backup.Target, all).OrderByDescending(m => m.At).Take(Measurements).MinBy(m => m.BytesPerSecond);
        if (measured is null) return null;
        var projected = TimeSpan.FromSeconds(backup.TotalBytes / measured.BytesPerSecond);
        return new RestoreProjection(projected, measured.BytesPerSecond, measured.What, Exceeds(projected));
    }

    /// <summary>"2 h 05 min", "4 min 10 s", "850 ms".</summary>
    public static string Span(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{(int)span.TotalMilliseconds} ms",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => $"{(int)span.TotalHours} h {span.Minutes:00} min",
    };

    /// <summary>"1.2 MiB/s".</summary>
    public static string Rate(double bytesPerSecond) => bytesPerSecond switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond:0.#} B/s"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond / 1024:0.#} KiB/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond / (1024 * 1024):0.#} MiB/s"),
    };

    private sealed record Measurement(DateTime At, double BytesPerSecond, string What);

    private static IEnumerable<Measurement> MeasurementsOn(string target, IReadOnlyList<BackupManifest> all)
    {
        foreach (var backup in all.Where(b => b.TotalBytes > 0))
        {
            if (backup.Target == target && backup.Verification is { Passed: true, Duration: { TotalMilliseconds: >= 1 } verifying } verification)
            {
                yield return new Measurement(verification.At, backup.TotalBytes / verifying.TotalSeconds, $"verification of backup {backup.Id}");
            }
            foreach (var restore in backup.Restores.Where(r => r.Status == RestoreStatus.Succeeded && r.Into(backup) == target))
            {
                if (restore.Duration is { TotalMilliseconds: >= 1 } took)
                {
                    yield return new Measurement(restore.FinishedAt!.Value, backup.TotalBytes / took.TotalSeconds, $"restore {restore.Id} of backup {backup.Id}");
                }
            }
        }
    }
}
