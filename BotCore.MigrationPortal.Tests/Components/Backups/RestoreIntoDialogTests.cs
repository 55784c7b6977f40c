using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Components.Pages.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Backups;

/// <summary>
/// "Restore into another target…" on the backups page over simulated targets: who sees it, the dialog (destinations the tier rule
/// allows, masking rules, the destination's name typed), the restore's record and duration against the SLA, the projection flagged
/// when over the SLA, and a dialog confirmed by someone who is no longer an Admin.
/// </summary>
public sealed class RestoreIntoDialogTests : PortalPageContext
{
    private readonly string location;
    private BackupHarness? backups;

    public RestoreIntoDialogTests() : this(Path.Combine(Path.GetTempPath(), "botcore-backup-tests", Guid.NewGuid().ToString("N")))
    {
    }

    private RestoreIntoDialogTests(string location) : base(BackupTestServices.Settings(location)) => this.location = location;

    private BackupHarness Backups => backups ??= new BackupHarness(Services);

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (Directory.Exists(location)) Directory.Delete(location, recursive: true);
    }

    private IRenderedComponent<BackupsPage> RenderBackups()
    {
        var page = RenderPage<BackupsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=backups], [data-testid=backups-empty]")), Patience);
        return page;
    }

    private async Task<BackupManifest> VerifiedBackupAsync(string target)
    {
        await Backups.MigrateAsync(target, "1.1.0");
        var backup = await Backups.Backups.CreateAsync(Olga, target, null, null, new RecordingProgress(), Token);
        return await Backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
    }

    private static string Cell(IRenderedComponent<BackupsPage> page, string backupId, string label) =>
        TextOf(page.Find($"[data-testid=backup-{backupId}]").ParentElement!.QuerySelector($"td[data-label='{label}']")!);

    /// <summary>Opens the dialog for <paramref name="backup"/>; the returned task ends when the dialog closes.</summary>
    private Task OpenAsync(IRenderedComponent<BackupsPage> page, BackupManifest backup)
    {
        var opening = page.Find($"[data-testid=restore-into-{backup.Id}]").ClickAsync(new());
        Dialogs.WaitForElement("[data-testid=restore-into-dialog]", Patience);
        return opening;
    }

    private AngleSharp.Dom.IElement Confirm => Dialogs.Find("[data-testid=restore-into-confirm]");

    [Theory]
    [InlineData("alice", "production", false)]
    [InlineData("ada", "production", true)]
    [InlineData("ada", "staging", true)]
    [InlineData("ada", "dev", false)]
    public async Task Only_an_admin_sees_it_and_only_on_a_backup_that_has_a_lower_tier_to_go_to(string name, string target, bool shown)
    {
        var backup = await VerifiedBackupAsync(target);
        SignIn(name == "ada" ? Ada : Alice);

        var page = RenderBackups();

        Assert.Equal(shown, page.FindAll($"[data-testid=restore-into-{backup.Id}]").Count == 1);
    }

    [Fact]
    public async Task The_dialog_offers_the_lower_tiers_reads_the_masking_rules_needs_the_destinations_name_and_queues_the_restore()
    {
        var backup = await VerifiedBackupAsync("production");
        SignIn(Ada);
        var page = RenderBackups();
        var opening = OpenAsync(page, backup);

        Assert.True(Confirm.HasAttribute("disabled"));
        var offered = await ChooseAsync(Dialogs, "Destination", "staging (Staging)");
        Assert.Equal(["dev (Development)", "staging (Staging)"], offered.Order(StringComparer.Ordinal));
        var masking = Dialogs.Find("textarea[data-testid=restore-into-masking]");
        await masking.InputAsync(new() { Value = "users.email scramble" });
        Assert.Contains("\"scramble\" is not a kind of masking", TextOf(Dialogs.Find("[data-testid=restore-into-masking-problem]")));
        await Dialogs.Find("textarea[data-testid=restore-into-masking]").InputAsync(new() { Value = "orders.email hash" });
        Assert.Contains("names collection orders, which backup", TextOf(Dialogs.Find("[data-testid=restore-into-masking-problem]")));
        await Dialogs.Find("textarea[data-testid=restore-into-masking]").InputAsync(new() { Value = "users.email hash-email" });
        Assert.Contains("Masked on the way in: users.email hash-email", TextOf(Dialogs.Find("[data-testid=restore-into-masking-summary]")));
        await Dialogs.Find("input[data-testid=restore-into-confirmation]").InputAsync(new() { Value = "production" });
        Assert.True(Confirm.HasAttribute("disabled"));
        await Dialogs.Find("input[data-testid=restore-into-confirmation]").InputAsync(new() { Value = "staging" });
        Assert.False(Confirm.HasAttribute("disabled"));
        Assert.Equal("Restore into staging", TextOf(Confirm));
        await Confirm.ClickAsync(new());
        await opening;

        Assert.Equal($"restore restore-{backup.Id}-1 staging", Assert.Single(Backups.Queue.Queued, q => q.StartsWith("restore", StringComparison.Ordinal)));
        Assert.EndsWith($"backups?follow=restore-{backup.Id}-1", Navigation.Uri);
        await Backups.RunQueuedJobsAsync();
        page.WaitForAssertion(() => Assert.Equal("Succeeded", TextOf(page.Find("[data-testid=operation-state]"))), Patience);
        page.WaitForAssertion(() => Assert.StartsWith("Succeeded by ada", Cell(page, backup.Id, "Last restore")), Patience);
        Assert.Equal("into staging (Staging), masking users.email hash-email", TextOf(page.Find($"[data-testid=restore-into-record-{backup.Id}]")));
        Assert.Matches("^took .+, within the 2 h 00 min restore SLA$", TextOf(page.Find($"[data-testid=restore-duration-{backup.Id}]")));
        Assert.Single(Backups.Audit.Records, r => r.Action == AuditActions.BackupRestored && r.User == "ada" && r.Target == "staging");
    }

    [Fact]
    public async Task Choosing_another_destination_asks_for_its_name_anew()
    {
        var backup = await VerifiedBackupAsync("production");
        SignIn(Ada);
        var page = RenderBackups();
        _ = OpenAsync(page, backup);

        await ChooseAsync(Dialogs, "Destination", "staging (Staging)");
        await Dialogs.Find("input[data-testid=restore-into-confirmation]").InputAsync(new() { Value = "staging" });
        Assert.False(Confirm.HasAttribute("disabled"));
        await ChooseAsync(Dialogs, "Destination", "dev (Development)");

        Assert.True(Confirm.HasAttribute("disabled"));
        Assert.DoesNotContain(Backups.Queue.Queued, q => q.StartsWith("restore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_verified_backup_projected_to_restore_slower_than_the_SLA_is_flagged_with_the_numbers()
    {
        var slow = await VerifiedBackupAsync("production");
        var quick = await VerifiedBackupAsync("staging");
        // Its verification restored the whole backup in 3 hours: restoring it is projected at 3 hours too.
        await Backups.Store.UpdateAsync(slow.Id, m => m with { Verification = m.Verification! with { StartedAt = m.Verification.At - TimeSpan.FromHours(3) } }, Token);
        // A sandbox verification can take under a millisecond, which measures nothing: the quick one is given a second.
        await Backups.Store.UpdateAsync(quick.Id, m => m with { Verification = m.Verification! with { StartedAt = m.Verification.At - TimeSpan.FromSeconds(1) } }, Token);

        var page = RenderBackups();

        var flagged = TextOf(page.Find($"[data-testid=projection-{slow.Id}]"));
        Assert.StartsWith("OVER the restore SLA: restore projected at 3 h 00 min for ", flagged);
        Assert.Contains($"(slowest recent: verification of backup {slow.Id}); SLA 2 h 00 min", flagged);
        Assert.Contains("mud-error-text", page.Find($"[data-testid=projection-{slow.Id}]").ClassName);
        Assert.DoesNotContain("OVER", TextOf(page.Find($"[data-testid=projection-{quick.Id}]")));
    }

    [Fact]
    public async Task A_dialog_confirmed_by_an_admin_who_was_lowered_to_approver_meanwhile_is_refused_and_nothing_is_queued()
    {
        var backup = await VerifiedBackupAsync("production");
        SignIn(Ada);
        var page = RenderBackups();
        var opening = OpenAsync(page, backup);
        await ChooseAsync(Dialogs, "Destination", "staging (Staging)");
        await Dialogs.Find("input[data-testid=restore-into-confirmation]").InputAsync(new() { Value = "staging" });
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync("ada", Token))! with { Role = Role.Approver }, Token);

        await Confirm.ClickAsync(new());
        await opening;

        WaitForSnackbar("ada (Approver) may not restore backups into another target: it needs the Admin role.");
        Assert.Empty((await Backups.Store.GetAsync(backup.Id, Token)).Restores);
        Assert.DoesNotContain(Backups.Queue.Queued, q => q.StartsWith("restore", StringComparison.Ordinal));
        var refused = Assert.Single(Backups.Audit.Records, r => r.Action == AuditActions.ActionRefused);
        Assert.Equal("ada", refused.User);
        Assert.StartsWith($"tried to restore backup {backup.Id} into staging", refused.Details);
    }
}
