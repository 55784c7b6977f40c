using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>Backup, verification and restore of simulated targets: the same files and the same flow as with MongoDB, without documents.</summary>
public sealed class SandboxBackupTests : IDisposable
{
    private readonly BackupHarness backups = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => backups.Dispose();

    private Task<SchemaCatalog> CatalogAsync(string target = "dev") => backups.Targets.Get(target).ReadCatalogAsync(Token);

    [Fact]
    public async Task A_backup_of_a_runs_collections_writes_mongodumps_layout_from_the_simulated_catalog_with_system_config()
    {
        await backups.MigrateAsync("dev", "1.2.0");
        var progress = new RecordingProgress();

        var backup = await backups.Backups.CreateAsync(Olga, "dev", ["users", "ai_signals", "risk_metrics"], "r-1", progress, Token);

        Assert.True(backup.Simulated);
        Assert.Equal(("dev", "dev", "r-1", "olga", false, "1.2.0"), (backup.Target, backup.Database, backup.RunId, backup.CreatedBy, backup.WholeDatabase, backup.SchemaVersion));
        Assert.Equal(["ai_signals", "system_config", "users"], backup.Collections.Select(c => c.Name));
        Assert.Equal(["risk_metrics"], backup.AbsentCollections);
        Assert.All(backup.Collections, c => Assert.Equal((0L, ContentHash.OfNothing), (c.Documents, c.ContentHash)));
        Assert.Equal(backup.Collections.Sum(c => c.Bytes), backup.TotalBytes);
        var folder = Path.Combine(backups.Location, backup.Id);
        Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.Equal(
            ["ai_signals.bson.gz", "ai_signals.metadata.json.gz", "system_config.bson.gz", "system_config.metadata.json.gz", "users.bson.gz", "users.metadata.json.gz"],
            Directory.GetFiles(Path.Combine(folder, "dev")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await using var users = File.OpenRead(Path.Combine(folder, "dev", "users.metadata.json.gz"));
        var metadata = await CollectionMetadataFile.ReadAsync(users, "users.metadata.json.gz", Token);
        Assert.Equal((await CatalogAsync()).Find("users"), CatalogMetadata.ToDefinition(metadata, "users.metadata.json.gz"));
        Assert.Contains(progress.Events, e => e.Kind == RunEventKind.StepFinished && e.Message.Contains("simulated", StringComparison.Ordinal));
        var audited = Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupCreated);
        Assert.Equal(("olga", "dev", "r-1"), (audited.User, audited.Target, audited.RunId));
    }

    [Fact]
    public async Task A_time_series_collection_is_written_as_mongodump_writes_it_its_buckets_file_beside_metadata_without_an_id_index()
    {
        await backups.MigrateAsync("dev", "1.0.0");

        var backup = await backups.Backups.CreateAsync(Olga, "dev", ["market_data"], null, new RecordingProgress(), Token);
        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);

        var folder = Path.Combine(backups.Location, backup.Id, "dev");
        Assert.Contains("system.buckets.market_data.bson.gz", Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.DoesNotContain("market_data.bson.gz", Directory.GetFiles(folder).Select(Path.GetFileName));
        await using var file = File.OpenRead(Path.Combine(folder, "market_data.metadata.json.gz"));
        var metadata = await CollectionMetadataFile.ReadAsync(file, "market_data.metadata.json.gz", Token);
        Assert.Equal("timeseries", metadata.Type);
        Assert.DoesNotContain(metadata.Indexes, index => index["name"] == CollectionMetadata.IdIndexName);
        Assert.True(verified.IsVerified, string.Join("; ", verified.Verification!.Details));
    }

    [Fact]
    public async Task A_whole_database_backup_takes_every_collection_of_the_catalog()
    {
        await backups.MigrateAsync("dev", "1.3.0");

        var backup = await backups.Backups.CreateAsync(Olga, "dev", null, null, new RecordingProgress(), Token);

        Assert.True(backup.WholeDatabase);
        Assert.Equal([.. (await CatalogAsync()).Collections.Keys.Append("system_config").Order(StringComparer.Ordinal)], backup.Collections.Select(c => c.Name));
    }

    [Fact]
    public async Task Verification_reads_every_file_back_and_is_recorded_in_the_manifest()
    {
        await backups.MigrateAsync("dev", "1.1.0");
        var backup = await backups.Backups.CreateAsync(Olga, "dev", ["users"], "r-1", new RecordingProgress(), Token);

        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);

        Assert.True(verified.IsVerified);
        Assert.Equal(2, verified.Verification!.Details.Count);
        Assert.All(verified.Verification.Details, d => Assert.Contains("simulated", d));
        Assert.True((await backups.Backups.FindAsync(backup.Id, Token))!.IsVerified);
        Assert.Equal([backup.Id], (await backups.Backups.ListAsync(Token)).Where(b => b is { RunId: "r-1", IsVerified: true }).Select(b => b.Id));
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupVerified && r.Details.Contains("passed"));
    }

    [Fact]
    public async Task A_damaged_file_fails_verification_with_a_message_and_does_not_throw()
    {
        await backups.MigrateAsync("dev", "1.1.0");
        var backup = await backups.Backups.CreateAsync(Olga, "dev", ["users", "trades"], null, new RecordingProgress(), Token);
        var metadata = Path.Combine(backups.Location, backup.Id, "dev", "trades.metadata.json.gz");
        var bytes = await File.ReadAllBytesAsync(metadata, Token);
        await File.WriteAllBytesAsync(metadata, bytes[..(bytes.Length / 2)], Token);
        File.Delete(Path.Combine(backups.Location, backup.Id, "dev", "users.bson.gz"));

        var verified = await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);

        Assert.False(verified.IsVerified);
        Assert.Contains(verified.Verification!.Details, d => d.StartsWith("trades: trades.metadata.json.gz is damaged", StringComparison.Ordinal));
        Assert.Contains(verified.Verification.Details, d => d == "users: users.bson.gz is damaged: it is missing.");
        Assert.Contains(verified.Verification.Details, d => d.StartsWith("system_config: files readable", StringComparison.Ordinal));
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupVerified && r.Details.Contains("FAILED"));
    }

    [Fact]
    public async Task A_verification_from_the_Backups_page_that_fails_is_told_to_the_channels_that_get_failed_backups_with_whom_to_call()
    {
        await backups.Services.GetRequiredService<NotificationSettings>().SaveAsync(Ada, new ChannelDraft
        {
            Name = "dba hook", Kind = ChannelKind.Webhook, Url = "http://127.0.0.1:9/hook", Secret = "a-key-of-at-least-16-chars", Events = [PortalEventKind.BackupFailed],
        }, Token);
        await backups.MigrateAsync("dev", "1.1.0");
        var backup = await backups.Backups.CreateAsync(Olga, "dev", ["users"], null, new RecordingProgress(), Token);
        File.Delete(Path.Combine(backups.Location, backup.Id, "dev", "users.bson.gz"));

        await backups.Jobs.VerifyAsync(BackupIds.VerifyOperation(backup.Id), backup.Id, "olga", null, Token);

        var queue = (RecordingNotificationQueue)backups.Services.GetRequiredService<INotificationJobQueue>();
        var delivery = await backups.Services.GetRequiredService<INotificationStore>().FindDeliveryAsync(Assert.Single(queue.Enqueued), Token);
        Assert.Equal((PortalEventKind.BackupFailed, "dev", $"Backup {backup.Id} FAILED verification"), (delivery!.Event.Kind, delivery.Event.Target, delivery.Event.Error));
        Assert.StartsWith("DBA on-call: ", delivery.Event.Contacts[0]);
    }

    [Fact]
    public async Task Restoring_puts_the_backed_up_collections_and_version_back_into_the_simulated_catalog_and_records_it_in_the_changelog()
    {
        await backups.MigrateAsync("dev", "1.1.0");
        var before = await CatalogAsync();
        var touched = new EngineHarness().Planner.Plan(SchemaVersion.Parse("1.1.0"), SchemaVersion.Parse("1.3.0")).TouchedCollections;
        var backup = await backups.Backups.CreateAsync(Olga, "dev", touched, "r-1", new RecordingProgress(), Token);
        await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
        await backups.MigrateAsync("dev", "1.3.0");
        var changelog = (await backups.Targets.Get("dev").ReadHistoryAsync(Token)).Changelog.Count;
        Assert.NotEqual(before, await CatalogAsync());

        var restored = await backups.Restorer.RestoreAsync(Alice, backup.Id, "dev", BackupIds.RestoreOperation(backup.Id, 1), new RecordingProgress(), Token);

        Assert.Empty(CatalogDiff.Between(before, await CatalogAsync()));
        Assert.Equal(SchemaVersion.Parse("1.1.0"), (await CatalogAsync()).Version);
        var history = (await backups.Targets.Get("dev").ReadHistoryAsync(Token)).Changelog;
        Assert.Equal(changelog + 1, history.Count);
        Assert.Equal(("1.1.0", "restore", ChangelogEntry.Restored, "alice"), (history[^1].Version, history[^1].Direction, history[^1].Status, history[^1].AppliedBy));
        Assert.Contains(backup.Id, history[^1].Description);
        var restore = Assert.Single(restored.Restores);
        Assert.Equal((RestoreStatus.Succeeded, "alice"), (restore.Status, restore.RequestedBy));
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupRestored && r.User == "alice");
    }

    [Fact]
    public async Task A_restore_needs_an_approver_and_the_targets_name_typed_and_refuses_a_backup_that_failed_verification()
    {
        await backups.MigrateAsync("dev", "1.0.0");
        var backup = await backups.Backups.CreateAsync(Olga, "dev", ["users"], null, new RecordingProgress(), Token);
        var operation = BackupIds.RestoreOperation(backup.Id, 1);

        var operatorRefused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            backups.Restorer.RestoreAsync(Olga, backup.Id, "dev", operation, new RecordingProgress(), Token));
        var mistyped = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            backups.Restorer.RestoreAsync(Alice, backup.Id, "Dev", operation, new RecordingProgress(), Token));
        File.Delete(Path.Combine(backups.Location, backup.Id, "dev", "users.bson.gz"));
        await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
        var unverified = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            backups.Restorer.RestoreAsync(Alice, backup.Id, "dev", operation, new RecordingProgress(), Token));

        Assert.Equal("olga (Operator) may not restore backups: it needs the Approver role.", operatorRefused.Message);
        Assert.Contains("type the name of the target, dev", mistyped.Message);
        Assert.Contains("failed verification", unverified.Message);
        Assert.Equal(RestoreStatus.Failed, (await backups.Store.GetAsync(backup.Id, Token)).Restores.Single().Status);
        Assert.Equal(["olga", "alice", "alice"], backups.Audit.Records.Where(r => r.Action == AuditActions.ActionRefused).Select(r => r.User));
        Assert.DoesNotContain(backups.Audit.Records, r => r.Action is AuditActions.BackupRestored or AuditActions.BackupRestoreFailed);
    }

    [Fact]
    public async Task Backing_up_needs_an_operator_and_a_known_target()
    {
        await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Backups.CreateAsync(Victor, "dev", null, null, new RecordingProgress(), Token));
        await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Backups.VerifyAsync(Victor, "20260302-093015-dev-ab12", new RecordingProgress(), Token));
        var unknown = await Assert.ThrowsAsync<BadInputException>(() => backups.Backups.CreateAsync(Olga, "nowhere", null, null, new RecordingProgress(), Token));

        Assert.Contains("Unknown target 'nowhere'", unknown.Message);
        Assert.Empty(await backups.Backups.ListAsync(Token));
    }

    [Fact]
    public async Task A_backup_is_refused_while_a_run_holds_the_targets_lock_and_keeps_nothing()
    {
        await using var lease = await backups.Targets.Get("dev").AcquireLeaseAsync(new LeaseHolder("r-9", "bob"), Token);

        var locked = await Assert.ThrowsAsync<TargetLockedException>(() =>
            backups.Backups.CreateAsync(Olga, "dev", ["users"], null, new RecordingProgress(), Token));

        Assert.Contains("run r-9 by bob", locked.Message);
        Assert.Empty(Directory.Exists(backups.Location) ? Directory.GetDirectories(backups.Location) : []);
    }

    [Fact]
    public async Task The_page_requests_queue_jobs_that_report_into_their_own_stream_from_start_to_finish()
    {
        await backups.MigrateAsync("staging", "1.2.0");

        var backupOperation = await backups.Requests.BackUpDatabaseAsync(Olga, "staging", Token);
        await backups.RunQueuedJobsAsync();
        var backup = Assert.Single(await backups.Backups.ListAsync(Token));
        var verifyOperation = await backups.Requests.VerifyAsync(Olga, backup.Id, Token);
        await backups.RunQueuedJobsAsync();
        await backups.MigrateAsync("staging", "1.3.0");
        var restoreOperation = await backups.Requests.RestoreAsync(Bob, backup.Id, "staging", Token);
        Assert.Equal(RestoreStatus.Queued, (await backups.Store.GetAsync(backup.Id, Token)).Restores.Single().Status);
        await backups.RunQueuedJobsAsync();

        foreach (var operation in new[] { backupOperation, verifyOperation, restoreOperation })
        {
            var progress = BackupOperationProgress.Build((await backups.Events.ReadAsync(operation, 0, Token)).Select(e => e.Event));
            Assert.True(progress.Finished, operation);
            Assert.True(progress.Passed, progress.Outcome);
            Assert.NotEmpty(progress.Collections);
            Assert.All(progress.Collections, c => Assert.Equal(StepStatus.Done, c.Status));
        }
        Assert.Equal($"restore-{backup.Id}-1", restoreOperation);
        Assert.Equal(SchemaVersion.Parse("1.2.0"), (await CatalogAsync("staging")).Version);
        Assert.Equal(RestoreStatus.Succeeded, (await backups.Store.GetAsync(backup.Id, Token)).Restores.Single().Status);
        Assert.Equal(
            [AuditActions.BackupRequested, AuditActions.BackupCreated, AuditActions.BackupVerifyRequested, AuditActions.BackupVerified, AuditActions.BackupRestoreRequested,
                AuditActions.BackupRestored],
            backups.Audit.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task A_job_that_is_refused_ends_its_stream_saying_why()
    {
        var operation = BackupIds.BackupOperation("dev", DateTime.UtcNow);

        await backups.Jobs.BackUpDatabaseAsync(operation, "dev", "victor", null, Token);

        var progress = BackupOperationProgress.Build((await backups.Events.ReadAsync(operation, 0, Token)).Select(e => e.Event));
        Assert.True(progress.Finished);
        Assert.False(progress.Passed);
        Assert.Equal("victor (Viewer) may not back up targets: it needs the Operator role.", progress.Outcome);
    }

    [Fact]
    public async Task Retention_removes_old_backups_but_the_newest_verified_one_and_is_for_admins()
    {
        await backups.MigrateAsync("dev", "1.0.0");
        var verified = await backups.Backups.CreateAsync(Olga, "dev", ["users"], null, new RecordingProgress(), Token);
        await backups.Backups.VerifyAsync(Olga, verified.Id, new RecordingProgress(), Token);
        for (var i = 0; i < 4; i++) await backups.Backups.CreateAsync(Olga, "dev", ["users"], null, new RecordingProgress(), Token);

        await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.ApplyRetentionAsync(Alice, Token));
        var removed = await backups.Requests.ApplyRetentionAsync(Ada, Token);

        var left = await backups.Backups.ListAsync(Token);
        Assert.Single(removed);
        Assert.Equal(4, left.Count);
        Assert.Contains(left, b => b.Id == verified.Id);
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupDeleted && r.User == "ada" && r.Details.Contains("retention"));
    }
}
