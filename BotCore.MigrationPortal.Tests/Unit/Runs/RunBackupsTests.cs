using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// A run's backup in sandbox mode, through the services the run page calls: the scope "Back up now" takes, a whole-database backup from the
/// Backups page attached to a run, and the restore of a rolled-back run's backup from its rollback run, which settles the run's item.
/// </summary>
public sealed class RunBackupsTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private RunBackups Backups => portal.Services.GetRequiredService<RunBackups>();
    private IBackupService Store => portal.Services.GetRequiredService<IBackupService>();
    private RecordingBackupJobQueue BackupJobs => portal.Services.GetRequiredService<RecordingBackupJobQueue>();

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task Back_up_now_takes_the_touched_collections_on_dev_and_the_items_say_so()
    {
        var run = await portal.BackUpAsync(await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token));

        Assert.Equal(BackupScope.TouchedCollections, portal.Queue.Backups[^1].Scope);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.Backup)!.Status);
        Assert.Contains("the run touches (", run.Item(ChecklistTemplate.Backup)!.Evidence);
        Assert.Contains("not the whole database", run.Item(ChecklistTemplate.Backup)!.Evidence);
        Assert.Contains("verified at", run.Item(ChecklistTemplate.BackupVerified)!.Evidence);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.BackupRequested && r.Details.Contains("(the collections the run touches)"));
    }

    [Fact]
    public async Task On_dev_the_whole_database_may_be_chosen_and_the_items_say_so()
    {
        var run = await portal.BackUpAsync(await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token), scope: BackupScope.WholeDatabase);

        Assert.StartsWith("Whole database backup ", run.Item(ChecklistTemplate.Backup)!.Evidence);
        Assert.Matches("^Whole database backup .* of dev taken .*, verified at ", run.Item(ChecklistTemplate.BackupVerified)!.Evidence);
        Assert.True((await Store.ListAsync(Token)).Single().WholeDatabase);
    }

    [Fact]
    public async Task On_Production_the_whole_database_is_taken_by_default_and_the_touched_collections_are_refused_and_audited()
    {
        var run = await portal.Runs.CreateAsync(Olga, "production", SchemaVersion.Parse("1.0.0"), Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.BackUpAsync(Olga, run.Id, BackupScope.TouchedCollections, run.Revision, Token));

        Assert.Contains("is on Production, where the spec's checklist asks for a full database backup", refused.Message);
        Assert.Empty(portal.Queue.Backups);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.RunId == run.Id);
        run = await portal.BackUpAsync(run);
        Assert.Equal(BackupScope.WholeDatabase, portal.Queue.Backups[^1].Scope);
        Assert.StartsWith("Whole database backup ", run.Item(ChecklistTemplate.Backup)!.Evidence);
    }

    [Fact]
    public async Task A_verified_whole_database_backup_from_the_Backups_page_is_attached_and_settles_both_backup_items()
    {
        var backup = await WholeDatabaseBackupAsync("dev");
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.Backup)!.Status);
        Assert.Equal([backup.Id], (await Backups.AttachableAsync(run, Token)).Select(b => b.Id));

        var attached = await Backups.AttachAsync(Olga, run.Id, backup.Id, run.Revision, Token);

        Assert.Equal((backup.Id, "olga"), (attached.AttachedBackup!.BackupId, attached.AttachedBackup.By));
        Assert.Equal(ItemStatus.Passed, attached.Item(ChecklistTemplate.Backup)!.Status);
        Assert.Matches($"^Whole database backup {backup.Id} of dev taken .* by ada: .*; attached to this run by olga at ", attached.Item(ChecklistTemplate.Backup)!.Evidence);
        Assert.Equal(ItemStatus.Passed, attached.Item(ChecklistTemplate.BackupVerified)!.Status);
        Assert.Contains(new Preparation("olga", "attached its backup"), RunRules.Preparations(attached));
        var audited = Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.BackupAttached);
        Assert.Equal(("olga", run.Id), (audited.User, audited.RunId));
        Assert.Empty(await Backups.AttachableAsync(attached, Token));
    }

    [Fact]
    public async Task After_the_run_its_attached_backup_is_the_one_the_retention_item_names()
    {
        var backup = await WholeDatabaseBackupAsync("dev");
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        foreach (var item in run.Checklist.Where(i => ChecklistTemplate.Get(i.ItemId) is { Kind: ItemKind.Manual, Required: true, Phase: ItemPhase.BeforeApproval }))
        {
            run = await portal.Runs.TickAsync(Olga, run.Id, item.ItemId, "checked with the team", run.Revision, Token);
        }
        run = await Backups.AttachAsync(Olga, run.Id, backup.Id, run.Revision, Token);
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);

        var finished = await portal.ExecuteAsync(run);

        Assert.Equal(RunState.Succeeded, finished.State);
        var scheduled = finished.Item(ChecklistTemplate.BackupDeletionScheduled)!;
        Assert.Equal(ItemStatus.Passed, scheduled.Status);
        Assert.StartsWith($"Backup {backup.Id} is removed by the retention rule", scheduled.Evidence);
    }

    [Fact]
    public async Task An_unverified_backup_or_a_stale_page_attaches_nothing()
    {
        var unverified = await Store.CreateAsync(Ada, "dev", null, null, new RecordingProgress(), Token);
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.AttachAsync(Olga, run.Id, unverified.Id, run.Revision, Token));
        Assert.Contains("has not been verified", refused.Message);
        var verified = await Store.VerifyAsync(Ada, unverified.Id, new RecordingProgress(), Token);
        await Assert.ThrowsAsync<ConflictRefusalException>(() => Backups.AttachAsync(Olga, run.Id, verified.Id, run.Revision - 1, Token));

        Assert.Null((await portal.Runs.GetAsync(run.Id, Token)).AttachedBackup);
        Assert.DoesNotContain(portal.Audit.Records, r => r.Action == AuditActions.BackupAttached);
    }

    [Fact]
    public async Task A_failed_rollback_restores_the_rolled_back_runs_backup_linked_both_ways_and_its_item_passes()
    {
        var (rollback, backup) = await FailedRollbackAsync();

        var restoring = await Backups.RestoreAsync(Alice, rollback.Id, "dev", rollback.Revision, Token);

        var restoreId = restoring.Restore!.RestoreId;
        Assert.Equal((backup.Id, "alice"), (restoring.Restore.BackupId, restoring.Restore.By));
        Assert.Equal(ItemStatus.Open, restoring.Item(ChecklistTemplate.RestoredFromBackup)!.Status);
        Assert.Equal(rollback.Id, (await Store.FindAsync(backup.Id, Token))!.Restores.Single().ForRun);
        var requested = Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.BackupRestoreRequested);
        Assert.Equal(rollback.Id, requested.RunId);
        Assert.Contains($"for rollback run {rollback.Id}", requested.Details);
        await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.RestoreAsync(Alice, rollback.Id, "dev", restoring.Revision, Token));

        await BackupJobs.RunAsync(portal.Services.GetRequiredService<BackupJobs>(), Token);

        var settled = await portal.Runs.GetAsync(rollback.Id, Token);
        var item = settled.Item(ChecklistTemplate.RestoredFromBackup)!;
        Assert.Equal(ItemStatus.Passed, item.Status);
        Assert.Matches($"^Backup {backup.Id} \\(.* of dev taken .*\\) restored over dev by alice: restore {restoreId}, requested .*, finished .*, took \\d+ s\\.$", item.Evidence);
        Assert.Equal(rollback.Id, Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.BackupRestored).RunId);
        Assert.Contains("was already restored from backup", RunBackupRules.CheckRestore(settled, Alice).Refusal);
    }

    [Fact]
    public async Task A_restore_refused_when_its_job_starts_leaves_the_item_failed_with_the_reason()
    {
        var (rollback, _) = await FailedRollbackAsync();
        await Backups.RestoreAsync(Alice, rollback.Id, "dev", rollback.Revision, Token);
        await portal.Users.ReplaceAsync((await portal.Users.FindAsync("alice", Token))! with { Role = Role.Operator }, Token);

        await BackupJobs.RunAsync(portal.Services.GetRequiredService<BackupJobs>(), Token);

        var item = (await portal.Runs.GetAsync(rollback.Id, Token)).Item(ChecklistTemplate.RestoredFromBackup)!;
        Assert.Equal(ItemStatus.Failed, item.Status);
        Assert.Contains("refused when it was to start: alice (Operator) may not restore backups", item.Evidence);
    }

    [Fact]
    public async Task A_mistyped_target_name_or_an_Operator_restores_nothing()
    {
        var (rollback, backup) = await FailedRollbackAsync();

        await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.RestoreAsync(Alice, rollback.Id, "Dev", rollback.Revision, Token));
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.RestoreAsync(Olga, rollback.Id, "dev", rollback.Revision, Token));

        Assert.StartsWith("olga (Operator) may not restore backups", refused.Message);
        Assert.Empty(BackupJobs.Queued);
        Assert.Empty((await Store.FindAsync(backup.Id, Token))!.Restores);
        Assert.Equal(rollback.Revision, (await portal.Runs.GetAsync(rollback.Id, Token)).Revision);
    }

    [Fact]
    public async Task An_emergency_rollback_that_fails_says_the_last_resort_and_the_restore_of_the_failed_runs_backup_settles_it()
    {
        using var failing = new PortalHarness(settings: new Dictionary<string, string?> { ["Sandbox:Targets:dev:Faults:FailStep"] = "1.3.0/down/1" });
        await new EngineHarness(failing.Registry).MigrateAsync(failing.Targets.Get("dev"), "1.2.0", cancellationToken: Token);
        var store = failing.Services.GetRequiredService<IBackupService>();
        // Taken for the run before it failed, as its "Back up now" would have.
        var backup = await store.CreateAsync(Olga, "dev", null, "run-failed-dev", new RecordingProgress(), Token);
        await store.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
        var failed = await failing.FailedRunLeftAppliedAsync("dev", "1.2.0", "1.3.0");
        var emergency = await failing.Runs.EmergencyRollbackAsync(Olga, failed.Id, new EmergencyRollbackRequest("validation of 1.3.0 failed; undo it now"), Token);

        emergency = await failing.ExecuteAsync(emergency);

        Assert.Contains(emergency.State, RunBackupRules.RestoreStates);
        var open = emergency.Item(ChecklistTemplate.RestoredFromBackup)!;
        Assert.Equal((ItemStatus.Open, RestoredFromBackupItem.Needed(emergency)), (open.Status, open.Evidence));
        Assert.Contains($"restores the verified backup of run {failed.Id} (\"Restore from backup…\"", open.Evidence);
        var restoring = await failing.Services.GetRequiredService<RunBackups>().RestoreAsync(Alice, emergency.Id, "dev", emergency.Revision, Token);
        Assert.Equal(backup.Id, restoring.Restore!.BackupId);
        await failing.Services.GetRequiredService<RecordingBackupJobQueue>().RunAsync(failing.Services.GetRequiredService<BackupJobs>(), Token);
        var settled = (await failing.Runs.GetAsync(emergency.Id, Token)).Item(ChecklistTemplate.RestoredFromBackup)!;
        Assert.Equal(ItemStatus.Passed, settled.Status);
        Assert.StartsWith($"Backup {backup.Id} (whole database of dev taken ", settled.Evidence);
    }

    /// <summary>A verified whole-database backup of <paramref name="target"/> taken by Ada, as from the Backups page.</summary>
    private async Task<BackupManifest> WholeDatabaseBackupAsync(string target)
    {
        var backup = await Store.CreateAsync(Ada, target, null, null, new RecordingProgress(), Token);
        return await Store.VerifyAsync(Ada, backup.Id, new RecordingProgress(), Token);
    }

    /// <summary>A run on dev backed up (verified) before it ran, and its rollback run, which failed: what the last resort is for.</summary>
    private async Task<(MigrationRun Rollback, BackupManifest Backup)> FailedRollbackAsync()
    {
        var run = await portal.BackUpAsync(await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token));
        var backup = Assert.Single(await Store.ListAsync(Token));
        Assert.True(backup.IsVerified);
        var rollback = new MigrationRun
        {
            Id = "run-rollback-dev", Target = "dev", Tier = run.Tier, From = run.To, To = run.From, Kind = RunKind.Rollback, RollbackOf = run.Id,
            Checksums = [], RequestedBy = Olga.Name, State = RunState.RollbackFailed, Error = "A step of the rollback failed.", FinishedAt = DateTime.UtcNow,
            Checklist = ChecklistTemplate.NewChecklist(RunKind.Rollback),
        };
        Assert.Null(await portal.Store.TryInsertAsync(rollback, Token));
        return (await portal.Runs.GetAsync(rollback.Id, Token), backup);
    }
}
