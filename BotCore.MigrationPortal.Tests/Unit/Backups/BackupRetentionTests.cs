using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Retention;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>The retention rule: what it removes, and the backups it never removes.</summary>
public sealed class BackupRetentionTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly RetentionPolicy Policy = new(KeepDays: 30, KeepPerTarget: 3);

    private static BackupManifest Backup(string id, string target, int daysOld, bool? verified = null) =>
        new(id, target, "bot_core_db", null, Now.AddDays(-daysOld), "olga", true, [], 0,
            verified is { } passed ? new BackupVerification(Now.AddDays(-daysOld), passed, []) : null);

    private static IReadOnlyList<string> Removed(RetentionPolicy policy, params BackupManifest[] backups) =>
        BackupRetention.Expired(backups, policy, Now).Select(d => d.Backup.Id).Order().ToList();

    [Fact]
    public void Removes_backups_older_than_the_days_kept()
    {
        Assert.Equal(["old"], Removed(Policy, Backup("new", "dev", 1), Backup("old", "dev", 31)));
    }

    [Fact]
    public void Keeps_only_the_newest_backups_of_each_target()
    {
        var removed = Removed(Policy,
            Backup("d1", "dev", 1), Backup("d2", "dev", 2), Backup("d3", "dev", 3), Backup("d4", "dev", 4), Backup("d5", "dev", 5),
            Backup("p1", "production", 4), Backup("p2", "production", 5));

        Assert.Equal(["d4", "d5"], removed);
    }

    [Fact]
    public void Never_removes_the_newest_verified_backup_of_a_target_however_old()
    {
        var removed = Removed(Policy,
            Backup("d1", "dev", 1, verified: false), Backup("d2", "dev", 2), Backup("d3", "dev", 3), Backup("verified", "dev", 90, verified: true),
            Backup("older-verified", "dev", 100, verified: true));

        Assert.Equal(["older-verified"], removed);
    }

    [Fact]
    public void A_failed_verification_does_not_protect_a_backup()
    {
        Assert.Equal(["failed"], Removed(Policy, Backup("failed", "dev", 40, verified: false)));
    }

    [Fact]
    public void Never_removes_a_backup_with_a_restore_queued_or_running()
    {
        var restoring = Backup("restoring", "dev", 60) with { Restores = [new BackupRestore("restore-x-1", "alice", Now.AddMinutes(-5), RestoreStatus.Running)] };
        var restored = Backup("restored", "dev", 60) with { Restores = [new BackupRestore("restore-y-1", "alice", Now.AddDays(-2), RestoreStatus.Succeeded)] };

        Assert.Equal(["restored"], Removed(Policy, restoring, restored));
    }

    [Fact]
    public void A_restore_left_running_by_a_portal_that_died_stops_protecting_its_backup_after_a_day()
    {
        var stale = Backup("stale", "dev", 60) with { Restores = [new BackupRestore("restore-x-1", "alice", Now.AddDays(-3), RestoreStatus.Running)] };

        Assert.Equal(["stale"], Removed(Policy, stale));
    }

    [Fact]
    public void Zero_switches_a_limit_off()
    {
        var backups = Enumerable.Range(1, 6).Select(i => Backup($"d{i}", "dev", i * 20)).ToArray();

        Assert.Equal(["d2", "d3", "d4", "d5", "d6"], Removed(new RetentionPolicy(30, 0), backups));
        Assert.Equal(["d4", "d5", "d6"], Removed(new RetentionPolicy(0, 3), backups));
        Assert.Empty(Removed(new RetentionPolicy(0, 0), backups));
    }

    [Fact]
    public void Says_why_each_backup_goes_and_describes_itself()
    {
        var decisions = BackupRetention.Expired([Backup("old", "dev", 31), Backup("d1", "staging", 1), Backup("d2", "staging", 2), Backup("d3", "staging", 3),
            Backup("d4", "staging", 4)], Policy, Now);

        Assert.Equal("older than 30 days", decisions.Single(d => d.Backup.Id == "old").Reason);
        Assert.Equal("more than 3 newer backups of staging", decisions.Single(d => d.Backup.Id == "d4").Reason);
        Assert.Contains("the newest verified backup of each target", Policy.Describe());
    }
}
