namespace BotCore.MigrationPortal.Backups.Retention;

/// <param name="KeepDays">Backups older than this are removed; 0 or less keeps them whatever their age.</param>
/// <param name="KeepPerTarget">Only this many of each target's newest backups are kept; 0 or less keeps any number.</param>
public sealed record RetentionPolicy(int KeepDays, int KeepPerTarget)
{
    public string Describe() =>
        (KeepDays > 0 ? $"backups older than {KeepDays} days" : "no age limit") + ", " +
        (KeepPerTarget > 0 ? $"at most {KeepPerTarget} per target" : "no count limit") +
        "; the newest verified backup of each target and a backup being restored are always kept";
}

/// <summary>A backup the policy removes, and why.</summary>
public sealed record RetentionDecision(BackupManifest Backup, string Reason);

/// <summary>Which backups a retention policy removes: a pure rule, so that what is deleted can be reasoned about and tested.</summary>
public static class BackupRetention
{
    // A restore that has been "running" for longer than this belonged to a portal that died; it no longer protects its backup.
    private static readonly TimeSpan RestoreProtection = TimeSpan.FromDays(1);

    /// <summary>
    /// The backups to remove: older than <see cref="RetentionPolicy.KeepDays"/>, or beyond a target's newest
    /// <see cref="RetentionPolicy.KeepPerTarget"/>. Never the newest verified backup of a target, which may be the only way
    /// back, and never one with a restore queued or running.
    /// </summary>
    public static IReadOnlyList<RetentionDecision> Expired(IEnumerable<BackupManifest> backups, RetentionPolicy policy, DateTime now)
    {
        var expired = new List<RetentionDecision>();
        foreach (var target in backups.GroupBy(b => b.Target, StringComparer.OrdinalIgnoreCase))
        {
            var newestFirst = target.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
            var newestVerified = newestFirst.FirstOrDefault(b => b.IsVerified);
            for (var position = 0; position < newestFirst.Count; position++)
            {
                var backup = newestFirst[position];
                if (backup == newestVerified || IsBeingRestored(backup, now)) continue;
                var reason = policy.KeepDays > 0 && now - backup.CreatedAt > TimeSpan.FromDays(policy.KeepDays) ? $"older than {policy.KeepDays} days"
                    : policy.KeepPerTarget > 0 && position >= policy.KeepPerTarget ? $"more than {policy.KeepPerTarget} newer backups of {backup.Target}"
                    : null;
                if (reason is not null) expired.Add(new RetentionDecision(backup, reason));
            }
        }
        return expired;
    }

    private static bool IsBeingRestored(BackupManifest backup, DateTime now) =>
        backup.Restores.Any(r => r.Status is RestoreStatus.Queued or RestoreStatus.Running && now - r.RequestedAt < RestoreProtection);
}
