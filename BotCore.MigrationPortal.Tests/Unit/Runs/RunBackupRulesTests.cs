using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// Which backup a run may count as its own (the scope it takes, a recent whole-database backup it attaches), which one a rollback run
/// may restore and when, and the words its backup items and its "restored from backup" item say.
/// </summary>
public sealed class RunBackupRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromHours(6);

    private static MigrationRun Run(TargetTier tier = TargetTier.Development, RunKind kind = RunKind.Migration, RunState state = RunState.PreChecks,
        string from = "1.2.0") => new()
    {
        Id = "run-1", Target = tier == TargetTier.Production ? "production" : "dev", Tier = tier, From = SchemaVersion.Parse(from),
        To = kind == RunKind.Migration ? SchemaVersion.Parse("1.3.0") : SchemaVersion.Parse("1.1.0"), Kind = kind,
        RollbackOf = kind == RunKind.Migration ? null : "run-0", Checksums = [], RequestedBy = "olga", State = state, Checklist = ChecklistTemplate.NewChecklist(kind),
    };

    private static BackupManifest Backup(string target = "dev", bool whole = true, bool? verified = true, DateTime? taken = null, string? version = "1.2.0",
        string? runId = null) => new(
        $"20261202-080000-{target}-ab12", target, "botcore", runId, taken ?? Now.AddHours(-2), "ada", whole,
        [new BackupCollection("system_config", "collection", 1, 100, "h1"), new BackupCollection("trades", "collection", 1200, 2048, "h2"),
         new BackupCollection("users", "collection", 30, 512, "h3")],
        2660, verified is null ? null : new BackupVerification(Now.AddHours(-1), verified.Value, ["3 collections match"]))
    {
        SchemaVersion = version,
    };

    [Theory]
    [InlineData(TargetTier.Production, BackupScope.WholeDatabase)]
    [InlineData(TargetTier.Staging, BackupScope.TouchedCollections)]
    [InlineData(TargetTier.Development, BackupScope.TouchedCollections)]
    public void The_whole_database_is_the_default_on_Production_and_the_touched_collections_elsewhere(TargetTier tier, BackupScope expected) =>
        Assert.Equal(expected, RunBackupRules.DefaultScope(Run(tier)));

    [Fact]
    public void Production_takes_only_the_whole_database_and_says_why()
    {
        Assert.True(RunBackupRules.CheckScope(Run(TargetTier.Production), BackupScope.WholeDatabase).Allowed);
        var refused = RunBackupRules.CheckScope(Run(TargetTier.Production), BackupScope.TouchedCollections);

        Assert.Equal("Run run-1 is on Production, where the spec's checklist asks for a full database backup: back up the whole database, " +
            "or use a verified whole-database backup taken shortly before.", refused.Refusal);
        Assert.True(RunBackupRules.CheckScope(Run(TargetTier.Staging), BackupScope.TouchedCollections).Allowed);
    }

    [Fact]
    public void A_recent_verified_whole_database_backup_of_the_target_at_the_runs_version_may_be_attached()
    {
        Assert.True(RunBackupRules.CheckAttach(Run(), Backup(), Now, Window).Allowed);
        Assert.True(RunBackupRules.CheckAttach(Run(), Backup(taken: Now - Window), Now, Window).Allowed);
    }

    [Theory]
    [InlineData("staging", true, true, 2, "1.2.0", "is of staging, not of dev")]
    [InlineData("dev", false, true, 2, "1.2.0", "not the whole database: only a whole-database backup is attached")]
    [InlineData("dev", true, null, 2, "1.2.0", "has not been verified: verify it on the Backups page first")]
    [InlineData("dev", true, false, 2, "1.2.0", "failed verification at 2026-12-02 09:00:00Z")]
    [InlineData("dev", true, true, 7, "1.2.0", "more than 6 h ago (Backups:AttachMaxAgeHours)")]
    [InlineData("dev", true, true, 2, "1.1.0", "holds dev at 1.1.0, but run run-1 starts at 1.2.0: the target changed since it was taken")]
    public void Any_other_backup_is_refused_with_the_reason(string target, bool whole, bool? verified, int hoursOld, string version, string reason)
    {
        var backup = Backup(target, whole, verified, Now.AddHours(-hoursOld), version);

        Assert.Contains(reason, RunBackupRules.CheckAttach(Run(), backup, Now, Window).Refusal);
        Assert.Empty(RunBackupRules.Attachable(Run(), [backup], Now, Window));
    }

    [Fact]
    public void The_attach_window_is_six_hours_unless_configured_and_at_least_one()
    {
        static BackupOptions Configured(string? hours) => BackupOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(hours is null ? [] : new Dictionary<string, string?> { ["Backups:AttachMaxAgeHours"] = hours }).Build());

        Assert.Equal(TimeSpan.FromHours(6), Configured(null).AttachMaxAge);
        Assert.Equal(TimeSpan.FromHours(12), Configured("12").AttachMaxAge);
        Assert.Equal("Backups:AttachMaxAgeHours is 0; it must be at least 1 (hours).", Assert.Throws<InvalidOperationException>(() => Configured("0")).Message);
    }

    [Fact]
    public void A_backup_already_attached_is_not_offered_again()
    {
        var backup = Backup();
        var run = Run() with { AttachedBackup = new AttachedBackup(backup.Id, "olga", Now) };

        Assert.Contains("is already attached to run run-1 (by olga", RunBackupRules.CheckAttach(run, backup, Now, Window).Refusal);
    }

    [Fact]
    public void A_runs_backups_are_those_taken_for_it_and_the_one_attached_newest_first()
    {
        var own = Backup(runId: "run-1", taken: Now.AddHours(-3)) with { Id = "20261202-070000-dev-0001" };
        var attached = Backup(taken: Now.AddHours(-1)) with { Id = "20261202-090000-dev-0002" };
        var other = Backup(runId: "run-9") with { Id = "20261202-080000-dev-0003" };
        var run = Run() with { AttachedBackup = new AttachedBackup(attached.Id, "olga", Now) };

        Assert.Equal([attached.Id, own.Id], RunBackupRules.OfRun(run, [own, attached, other]).Select(b => b.Id));
        Assert.Equal(attached.Id, RunBackupRules.RestorableOf(run, [own, attached, other])!.Id);
        // Only a verified one is restored.
        Assert.Equal(own.Id, RunBackupRules.RestorableOf(run, [own, attached with { Verification = null }, other])!.Id);
    }

    [Theory]
    [InlineData(RunState.Failed, true)]
    [InlineData(RunState.RollbackFailed, true)]
    [InlineData(RunState.RolledBack, true)]
    [InlineData(RunState.Succeeded, false)]
    [InlineData(RunState.Running, false)]
    [InlineData(RunState.PreChecks, false)]
    [InlineData(RunState.Cancelled, false)]
    public void A_rollback_run_offers_a_restore_only_once_its_rollback_did_not_bring_the_target_back(RunState state, bool offered)
    {
        var verdict = RunBackupRules.CheckRestore(Run(kind: RunKind.Rollback, state: state), TestPeople.Alice);

        Assert.Equal(offered, verdict.Allowed);
        if (!offered) Assert.Contains("restoring from backup is the last resort once a rollback has failed or was itself rolled back", verdict.Refusal);
        Assert.Equal(offered, RunRules.Allowed(Run(kind: RunKind.EmergencyRollback, state: state), TestPeople.Alice).Contains(RunAction.RestoreFromBackup));
    }

    [Fact]
    public void Only_who_may_restore_backups_restores_from_a_rollback_run_and_only_from_a_rollback_run()
    {
        var failed = Run(kind: RunKind.Rollback, state: RunState.RollbackFailed);

        Assert.StartsWith("olga (Operator) may not restore backups", RunBackupRules.CheckRestore(failed, TestPeople.Olga).Refusal);
        Assert.Contains("does not roll back another run", RunBackupRules.CheckRestore(Run(state: RunState.Failed), TestPeople.Alice).Refusal);
        Assert.False(RunRules.Allowed(failed, TestPeople.Olga).Contains(RunAction.RestoreFromBackup));
    }

    [Fact]
    public void A_restore_under_way_or_done_is_not_started_again_but_a_failed_one_may_be()
    {
        var backup = Backup();
        var failed = Run(kind: RunKind.Rollback, state: RunState.RollbackFailed);
        var queued = RestoredFromBackupItem.Requested(failed, backup, "restore-x-1", "alice", Now);
        var restore = new BackupRestore("restore-x-1", "alice", Now, RestoreStatus.Succeeded, Now.AddSeconds(4)) { ForRun = failed.Id, StartedAt = Now.AddSeconds(1) };

        Assert.Contains("Restore restore-x-1 of backup 20261202-080000-dev-ab12, started by alice at 2026-12-02 10:00:00Z, has not ended yet",
            RunBackupRules.CheckRestore(queued, TestPeople.Alice).Refusal);
        Assert.Contains("was already restored from backup", RunBackupRules.CheckRestore(RestoredFromBackupItem.Settled(queued, backup, restore), TestPeople.Alice).Refusal);
        Assert.True(RunBackupRules.CheckRestore(RestoredFromBackupItem.Settled(queued, backup, restore with { Status = RestoreStatus.Failed, Outcome = "disk full" }),
            TestPeople.Alice).Allowed);
        Assert.Contains("Run run-0 has no verified backup to restore", RunBackupRules.CheckRestoreBackup(failed, null).Refusal);
    }

    [Fact]
    public void The_backup_items_say_whether_the_whole_database_or_the_touched_collections_were_taken_and_whether_it_was_attached()
    {
        var whole = Backup();
        var attached = new AttachedBackup(whole.Id, "olga", Now);
        var touched = Backup(whole: false) with { AbsentCollections = ["risk_metrics"] };

        Assert.Equal("Whole database backup 20261202-080000-dev-ab12 of dev taken 2026-12-02 08:00:00Z by ada: 3 collections, 1,231 documents, 2.6 KiB; " +
            "attached to this run by olga at 2026-12-02 10:00:00Z.", BackupEvidence.Created(whole, attached));
        Assert.Equal("Whole database backup 20261202-080000-dev-ab12 of dev taken 2026-12-02 08:00:00Z by ada, verified at 2026-12-02 09:00:00Z: " +
            "restored into a scratch database and compared; 3 collections match", BackupEvidence.Verified(whole));
        Assert.Equal("Backup 20261202-080000-dev-ab12 of the 3 collections the run touches (trades, users, risk_metrics, with system_config), not the whole database, " +
            "taken 2026-12-02 08:00:00Z by ada: 3 collections, 1,231 documents, 2.6 KiB; not there when it was taken: risk_metrics.", BackupEvidence.Created(touched, null));
        Assert.StartsWith("No backup for this run yet: use \"Back up now\" (the whole database), or \"Use backup …\"", BackupEvidence.None(Run(TargetTier.Production), Window));
    }

    [Fact]
    public void The_restored_from_backup_item_names_the_restore_while_it_runs_and_settles_by_its_outcome()
    {
        var backup = Backup();
        var run = Run(kind: RunKind.EmergencyRollback, state: RunState.Failed);
        var queued = RestoredFromBackupItem.Requested(run, backup, "restore-x-1", "alice", Now);
        var restore = new BackupRestore("restore-x-1", "alice", Now, RestoreStatus.Succeeded, Now.AddSeconds(5)) { ForRun = run.Id, StartedAt = Now.AddSeconds(1) };

        Assert.Equal(new RunRestore(backup.Id, "restore-x-1", "alice", Now), queued.Restore);
        Assert.Equal((ItemStatus.Open, "Restore restore-x-1 of backup 20261202-080000-dev-ab12 (whole database of dev taken 2026-12-02 08:00:00Z) over dev queued by alice " +
            "at 2026-12-02 10:00:00Z; this item settles when it ends."), Status(queued));
        Assert.Equal((ItemStatus.Passed, "Backup 20261202-080000-dev-ab12 (whole database of dev taken 2026-12-02 08:00:00Z) restored over dev by alice: restore restore-x-1, " +
            "requested 2026-12-02 10:00:00Z, finished 2026-12-02 10:00:05Z, took 4 s."), Status(RestoredFromBackupItem.Settled(queued, backup, restore)));
        Assert.Equal((ItemStatus.Failed, "Restore restore-x-1 of backup 20261202-080000-dev-ab12 (whole database of dev taken 2026-12-02 08:00:00Z) over dev, started by alice " +
            "at 2026-12-02 10:00:00Z, failed at 2026-12-02 10:00:05Z: the target is unreachable. Restore again once the cause is fixed, or repair the target by hand."),
            Status(RestoredFromBackupItem.Settled(queued, backup, restore with { Status = RestoreStatus.Failed, Outcome = "the target is unreachable" })));
        // An earlier restore for the run ending late does not overwrite the later one it links.
        Assert.Equal(queued, RestoredFromBackupItem.Settled(queued, backup, restore with { Id = "restore-x-0" }));
        // A run whose link was not saved is linked by the outcome.
        Assert.Equal(queued.Restore!, RestoredFromBackupItem.Settled(run, backup, restore).Restore);
    }

    private static (ItemStatus, string?) Status(MigrationRun run) => run.Item(ChecklistTemplate.RestoredFromBackup) is { } item ? (item.Status, item.Evidence) : default;
}
