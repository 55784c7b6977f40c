using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>
/// Restoring a verified backup into another target of a lower tier, on simulated targets (dev: Development, staging: Staging,
/// production and legacy: Production), through the page's service and the queued job, and the staging evidence it gives.
/// </summary>
public sealed class RehearsalRestoreTests : IDisposable
{
    private static readonly MaskingRule HashEmail = new("users", "email", MaskingKind.HashEmail);
    private readonly BackupHarness backups = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => backups.Dispose();

    private async Task<BackupManifest> VerifiedBackupAsync(string target, string version = "1.1.0")
    {
        await backups.MigrateAsync(target, version);
        var backup = await backups.Backups.CreateAsync(Olga, target, null, null, new RecordingProgress(), Token);
        return await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
    }

    [Fact]
    public async Task An_admin_restores_a_production_backup_into_staging_masked_recorded_with_its_duration_and_audited()
    {
        var backup = await VerifiedBackupAsync("production");
        await backups.MigrateAsync("staging", "1.3.0");

        var operation = await backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [HashEmail], Token);
        Assert.Equal($"restore {operation} staging", Assert.Single(backups.Queue.Queued, q => q.StartsWith("restore", StringComparison.Ordinal)));
        await backups.RunQueuedJobsAsync();

        var restore = Assert.Single((await backups.Store.GetAsync(backup.Id, Token)).Restores);
        Assert.Equal((RestoreStatus.Succeeded, "ada"), (restore.Status, restore.RequestedBy));
        Assert.Equal(("staging", TargetTier.Production, TargetTier.Staging), (restore.Rehearsal!.Destination, restore.Rehearsal.SourceTier, restore.Rehearsal.DestinationTier));
        Assert.Equal([HashEmail], restore.Rehearsal.Masking);
        Assert.NotNull(restore.Duration);
        Assert.Contains("into staging (Staging), masking users.email hash-email, from production (Production)", restore.Outcome);
        Assert.Contains("users: restored into the simulated catalog", restore.Outcome);
        Assert.Contains("masking users.email hash-email (no documents to mask)", restore.Outcome);
        Assert.Equal(SchemaVersion.Parse("1.1.0"), (await backups.Targets.Get("staging").ReadCatalogAsync(Token)).Version);
        Assert.Equal(SchemaVersion.Parse("1.1.0"), (await backups.Targets.Get("production").ReadCatalogAsync(Token)).Version);
        var requested = Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupRestoreRequested);
        var restored = Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.BackupRestored);
        Assert.Equal(("ada", "staging", "ada", "staging"), (requested.User, requested.Target, restored.User, restored.Target));
        Assert.Contains("confirmed by typing the destination's name", requested.Details);
        var history = await backups.Targets.Get("staging").ReadHistoryAsync(Token);
        Assert.Contains(history.Changelog, e => e.Description.StartsWith($"restored from backup {backup.Id} of production", StringComparison.Ordinal) &&
            e.Description.EndsWith("masked: users.email hash-email", StringComparison.Ordinal) && e.AppliedBy == "ada");
    }

    [Theory]
    [InlineData("production")]
    [InlineData("legacy")]
    public async Task Nothing_is_restored_into_Production(string destination)
    {
        var backup = await VerifiedBackupAsync("staging");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.RestoreIntoAsync(Ada, backup.Id, destination, destination, [], Token));

        Assert.Contains($"{destination} is a Production target; a backup is never restored into Production", refused.Message);
        await AssertNothingQueuedAsync(backup, $"tried to restore backup {backup.Id} into {destination}");
    }

    [Fact]
    public async Task A_backup_goes_only_downwards()
    {
        var backup = await VerifiedBackupAsync("dev");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [], Token));

        Assert.Contains("only into a target of a lower tier", refused.Message);
        await AssertNothingQueuedAsync(backup, $"tried to restore backup {backup.Id} into staging");
    }

    [Fact]
    public async Task A_wrong_name_typed_is_refused()
    {
        var backup = await VerifiedBackupAsync("production");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "Staging", [], Token));

        Assert.Equal($"Not restored: type the name of the target, staging, to confirm that its collections are to be replaced by those of backup {backup.Id}.",
            refused.Message);
        await AssertNothingQueuedAsync(backup, $"tried to restore backup {backup.Id} into staging");
    }

    [Fact]
    public async Task An_approver_an_unverified_backup_an_unknown_destination_or_a_rule_on_a_missing_collection_is_refused()
    {
        var backup = await VerifiedBackupAsync("production");
        var unverified = await backups.Backups.CreateAsync(Olga, "production", ["users"], null, new RecordingProgress(), Token);

        var approver = await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.RestoreIntoAsync(Bob, backup.Id, "staging", "staging", [], Token));
        var notVerified = await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.RestoreIntoAsync(Ada, unverified.Id, "staging", "staging", [], Token));
        var nowhere = await Assert.ThrowsAsync<ActionRefusedException>(() => backups.Requests.RestoreIntoAsync(Ada, backup.Id, "qa", "qa", [], Token));
        var masking = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [new MaskingRule("customers", "email", MaskingKind.Hash)], Token));

        Assert.Equal("bob (Approver) may not restore backups into another target: it needs the Admin role.", approver.Message);
        Assert.Contains("is not verified", notVerified.Message);
        Assert.Equal("Not restored: there is no target named qa.", nowhere.Message);
        Assert.Contains("names collection customers, which backup", masking.Message);
        Assert.DoesNotContain(backups.Queue.Queued, q => q.StartsWith("restore", StringComparison.Ordinal));
        Assert.Equal(4, backups.Audit.Records.Count(r => r.Action == AuditActions.ActionRefused));
    }

    [Fact]
    public async Task A_rule_the_validator_or_a_unique_index_would_not_take_fails_the_restore_before_anything_changes_as_on_MongoDB()
    {
        var backup = await VerifiedBackupAsync("production");
        await backups.MigrateAsync("staging", "1.3.0");

        // users (migration 1.0.0) has an e-mail pattern in its validator and idx_users_email_unique.
        foreach (var rule in new[] { new MaskingRule("users", "email", MaskingKind.Hash), new MaskingRule("users", "email", MaskingKind.Fixed, "x") })
        {
            await backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [rule], Token);
            await backups.RunQueuedJobsAsync();
        }

        var restores = (await backups.Store.GetAsync(backup.Id, Token)).Restores;
        Assert.All(restores, r => Assert.Equal(RestoreStatus.Failed, r.Status));
        Assert.Contains(restores, r => r.Outcome!.Contains("has the pattern", StringComparison.Ordinal) && r.Outcome.Contains("hash-email writes an address it takes", StringComparison.Ordinal));
        Assert.Contains(restores, r => r.Outcome!.Contains("unique index idx_users_email_unique", StringComparison.Ordinal));
        Assert.All(restores, r => Assert.Contains("Nothing was changed", r.Outcome));
        Assert.Equal(SchemaVersion.Parse("1.3.0"), (await backups.Targets.Get("staging").ReadCatalogAsync(Token)).Version);
    }

    [Fact]
    public async Task The_queued_job_asks_again_and_refuses_a_person_who_is_no_longer_an_admin()
    {
        var backup = await VerifiedBackupAsync("production");
        await backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [HashEmail], Token);
        var users = backups.Services.GetRequiredService<IUserStore>();
        await users.ReplaceAsync((await users.FindAsync("ada", Token))! with { Role = Role.Approver }, Token);

        await backups.RunQueuedJobsAsync();

        var restore = Assert.Single((await backups.Store.GetAsync(backup.Id, Token)).Restores);
        Assert.Equal(RestoreStatus.Failed, restore.Status);
        Assert.Contains("refused when it was to start: ada (Approver) may not restore backups into another target", restore.Outcome);
        Assert.Equal(SchemaVersion.Zero, (await backups.Targets.Get("staging").ReadCatalogAsync(Token)).Version);
    }

    [Fact]
    public async Task A_staging_run_after_a_rehearsal_records_production_like_data_and_the_production_run_reads_it()
    {
        var portal = new PortalHarness(backups.Services);
        var backup = await VerifiedBackupAsync("production", "1.0.0");
        await backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [HashEmail], Token);
        await backups.RunQueuedJobsAsync();

        var staging = await portal.QueuedAsync("staging", "1.1.0");
        var stagingItem = staging.Item(ChecklistTemplate.StagingTest)!;
        staging = await portal.ExecuteAsync(staging);
        var production = await portal.ReadyForApprovalAsync("production", "1.1.0");

        Assert.Equal(RunState.Succeeded, staging.State);
        Assert.Equal(ItemStatus.Simulated, stagingItem.Status);
        Assert.Contains($"production-like data from backup {backup.Id} of production taken at {backup.CreatedAt:u}, restored into staging", stagingItem.Evidence);
        Assert.Contains("masking users.email hash", stagingItem.Evidence);
        var productionItem = production.Item(ChecklistTemplate.StagingTest)!;
        Assert.Contains($"Run {staging.Id} applied the same checksums", productionItem.Evidence);
        Assert.Contains($"tested with production-like data from backup {backup.Id}", productionItem.Evidence);
    }

    [Fact]
    public async Task A_later_restore_of_anything_else_into_staging_ends_its_production_like_data()
    {
        var portal = new PortalHarness(backups.Services);
        var backup = await VerifiedBackupAsync("production", "1.0.0");
        await backups.Requests.RestoreIntoAsync(Ada, backup.Id, "staging", "staging", [], Token);
        await backups.RunQueuedJobsAsync();
        var own = await VerifiedBackupAsync("staging", "1.0.0");
        await backups.Requests.RestoreAsync(Ada, own.Id, "staging", Token);
        await backups.RunQueuedJobsAsync();

        var staging = await portal.Runs.CreateAsync(Olga, "staging", SchemaVersion.Parse("1.1.0"), Token);

        Assert.Equal(ItemStatus.NotRequired, staging.Item(ChecklistTemplate.StagingTest)!.Status);
        Assert.Contains("holds no rehearsal restore of a Production backup", staging.Item(ChecklistTemplate.StagingTest)!.Evidence);
    }

    private async Task AssertNothingQueuedAsync(BackupManifest backup, string attempted)
    {
        Assert.Empty((await backups.Store.GetAsync(backup.Id, Token)).Restores);
        Assert.DoesNotContain(backups.Queue.Queued, q => q.StartsWith("restore", StringComparison.Ordinal));
        Assert.Single(backups.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith(attempted, StringComparison.Ordinal) && r.User == "ada");
    }
}
