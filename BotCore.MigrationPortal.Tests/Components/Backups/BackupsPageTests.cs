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
/// The backups page over simulated targets (the backups feature composed as in sandbox mode, backups in a temporary folder,
/// jobs run when a test says so): the list, each role's buttons, verification, and a restore that needs the target's name typed.
/// </summary>
public sealed class BackupsPageTests : PortalPageContext
{
    private readonly string location;
    private BackupHarness? backups;

    public BackupsPageTests() : this(Path.Combine(Path.GetTempPath(), "botcore-backup-tests", Guid.NewGuid().ToString("N")))
    {
    }

    private BackupsPageTests(string location) : base(BackupTestServices.Settings(location)) => this.location = location;

    /// <summary>The harness over this context's services; the first use fixes the registrations.</summary>
    private BackupHarness Backups => backups ??= new BackupHarness(Services);

    // xunit disposes the context asynchronously.
    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (Directory.Exists(location)) Directory.Delete(location, recursive: true);
    }

    /// <param name="follow">The operation the address names, as after a reload.</param>
    private IRenderedComponent<BackupsPage> RenderBackups(string? follow = null)
    {
        if (follow is not null) Navigation.NavigateTo($"backups?follow={follow}");
        var page = RenderPage<BackupsPage>();
        // The list is read from disk after the first render.
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=backups], [data-testid=backups-empty]")), Patience);
        return page;
    }

    private async Task<BackupManifest> BackupAsync(string target = "dev", string? runId = null, IReadOnlyCollection<string>? collections = null, bool verified = false)
    {
        if ((await Backups.Targets.Get(target).ReadCatalogAsync(Token)).Version != SchemaVersion.Parse("1.1.0")) await Backups.MigrateAsync(target, "1.1.0");
        var backup = await Backups.Backups.CreateAsync(Olga, target, collections ?? ["users", "trades"], runId, new RecordingProgress(), Token);
        return verified ? await Backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token) : backup;
    }

    private static string Cell(IRenderedComponent<BackupsPage> page, string backupId, string label) =>
        TextOf(page.Find($"[data-testid=backup-{backupId}]").ParentElement!.QuerySelector($"td[data-label='{label}']")!);

    private static IReadOnlyList<string> RowActions(IRenderedComponent<BackupsPage> page, string backupId) => ButtonsIn(page.Find($"[data-testid=actions-{backupId}]"));

    [Fact]
    public async Task Lists_each_backup_with_its_target_run_creation_size_collections_age_and_verification()
    {
        var forRun = await BackupAsync("dev", "r-7");
        await Backups.Backups.VerifyAsync(Olga, forRun.Id, new RecordingProgress(), Token);
        var failed = await BackupAsync("staging");
        File.Delete(Path.Combine(Backups.Location, failed.Id, "staging", "trades.bson.gz"));
        await Backups.Backups.VerifyAsync(Olga, failed.Id, new RecordingProgress(), Token);
        var unverified = await BackupAsync("production", collections: ["users"]);

        var page = RenderBackups();

        Assert.Equal([unverified.Id, failed.Id, forRun.Id], page.FindAll("[data-testid^=backup-]").Select(cell => cell.GetAttribute("data-testid")![7..]));
        Assert.Equal("dev dev, schema 1.1.0", Cell(page, forRun.Id, "Target"));
        Assert.Equal("r-7", Cell(page, forRun.Id, "Run"));
        Assert.Equal("runs/r-7", page.Find($"[data-testid=backup-{forRun.Id}]").ParentElement!.QuerySelector("td[data-label='Run'] a")!.GetAttribute("href"));
        Assert.Equal("—", Cell(page, failed.Id, "Run"));
        Assert.Matches("^20[0-9-]+ [0-9:]+ by olga age: just now$", Cell(page, forRun.Id, "Created"));
        Assert.EndsWith(" B", Cell(page, forRun.Id, "Size"));
        Assert.StartsWith("3 collections, 0 documents", Cell(page, forRun.Id, "Collections"));
        Assert.Equal("system_config 0 · trades 0 · users 0", TextOf(page.Find($"[data-testid=collections-{forRun.Id}]")));
        Assert.StartsWith("Verified", Cell(page, forRun.Id, "Verification"));
        Assert.Contains("3 collections match", Cell(page, forRun.Id, "Verification"));
        Assert.StartsWith("Failed", Cell(page, failed.Id, "Verification"));
        Assert.Contains("trades.bson.gz is damaged: it is missing", Cell(page, failed.Id, "Verification"));
        Assert.Equal("Not verified", Cell(page, unverified.Id, "Verification"));
        Assert.Contains("simulated", Cell(page, unverified.Id, "Backup"));
        Assert.Contains("Simulated", TextOf(page.Find("[data-testid=simulated]")));
        Assert.Contains("at most 3 per target", TextOf(page.Find("[data-testid=retention]")));
    }

    [Fact]
    public void Without_backups_it_says_so()
    {
        var page = RenderBackups();

        Assert.Contains("No backups yet", TextOf(page.Find("[data-testid=backups-empty]")));
        Assert.Empty(page.FindAll("[data-testid=backups]"));
    }

    [Theory]
    [InlineData("victor", false, false, false)]
    [InlineData("olga", true, false, false)]
    [InlineData("alice", true, true, false)]
    [InlineData("ada", true, true, true)]
    public async Task Each_role_sees_only_the_buttons_it_may_use(string name, bool operate, bool restore, bool retention)
    {
        var backup = await BackupAsync(verified: true);
        SignIn(new[] { Olga, Alice, Ada, Victor }.Single(a => a.Name == name));

        var page = RenderBackups();

        Assert.Equal(operate, page.FindAll("[data-testid=back-up]").Count == 1);
        Assert.Equal(operate, RowActions(page, backup.Id).Contains("Verify"));
        Assert.Equal(restore, RowActions(page, backup.Id).Contains("Restore"));
        Assert.Equal(retention, page.FindAll("[data-testid=apply-retention]").Count == 1);
    }

    [Fact]
    public async Task A_backup_not_yet_verified_offers_no_restore_and_the_service_refuses_it()
    {
        var backup = await BackupAsync();
        SignIn(Alice);

        var page = RenderBackups();

        Assert.DoesNotContain("Restore", RowActions(page, backup.Id));
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.Requests.RestoreAsync(Alice, backup.Id, "dev", Token));
        Assert.Contains("has not been verified", refused.Message);
        Assert.Empty(Backups.Queue.Queued);
    }

    [Fact]
    public async Task The_service_refuses_whoever_the_page_would_not_have_shown_the_button()
    {
        var backup = await BackupAsync();

        var backUp = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.Requests.BackUpDatabaseAsync(Victor, "dev", Token));
        var verify = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.Requests.VerifyAsync(Victor, backup.Id, Token));
        var restore = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.Requests.RestoreAsync(Olga, backup.Id, "dev", Token));
        var retention = await Assert.ThrowsAsync<ActionRefusedException>(() => Backups.Requests.ApplyRetentionAsync(Alice, Token));

        Assert.Equal("victor (Viewer) may not back up targets: it needs the Operator role.", backUp.Message);
        Assert.Equal("victor (Viewer) may not verify backups: it needs the Operator role.", verify.Message);
        Assert.Equal("olga (Operator) may not restore backups: it needs the Approver role.", restore.Message);
        Assert.Equal("alice (Approver) may not apply the backup retention: it needs the Admin role.", retention.Message);
        Assert.Empty(Backups.Queue.Queued);
    }

    [Fact]
    public async Task Verify_queues_a_job_whose_progress_shows_live_and_the_result_appears_in_the_list()
    {
        var backup = await BackupAsync();
        var page = RenderBackups();

        await ClickButtonAsync(page.Find($"[data-testid=actions-{backup.Id}]"), "Verify");

        Assert.StartsWith("verify ", Assert.Single(Backups.Queue.Queued));
        page.WaitForAssertion(() => Assert.Contains("Running", TextOf(page.Find("[data-testid=operation-state]"))), Patience);
        await Backups.RunQueuedJobsAsync();
        page.WaitForAssertion(() => Assert.Equal("Succeeded", TextOf(page.Find("[data-testid=operation-state]"))), Patience);
        Assert.Contains($"Backup {backup.Id} passed verification", TextOf(page.Find("[data-testid=operation-outcome]")));
        Assert.Equal(3, page.Find("[data-testid=operation-collections]").QuerySelectorAll("tbody tr").Length);
        page.WaitForAssertion(() => Assert.StartsWith("Verified", Cell(page, backup.Id, "Verification")), Patience);
    }

    [Fact]
    public async Task A_restore_needs_the_targets_name_typed_then_runs_as_a_job_whose_progress_shows_live()
    {
        var backup = await BackupAsync(verified: true);
        SignIn(Alice);
        var page = RenderBackups();

        var opening = ClickButtonAsync(page.Find($"[data-testid=actions-{backup.Id}]"), "Restore");
        var field = Dialogs.WaitForElement("input[data-testid=restore-confirmation]", Patience);
        var confirm = () => Dialogs.Find("[data-testid=restore-confirm]");
        Assert.True(confirm().HasAttribute("disabled"));
        Assert.Contains("users", TextOf(Dialogs.Find("[data-testid=restore-collections]")));
        await field.InputAsync(new() { Value = "staging" });
        Assert.True(confirm().HasAttribute("disabled"));
        await field.InputAsync(new() { Value = "Dev" });
        Assert.True(confirm().HasAttribute("disabled"));
        await Dialogs.Find("input[data-testid=restore-confirmation]").InputAsync(new() { Value = "dev" });
        Assert.False(confirm().HasAttribute("disabled"));
        await confirm().ClickAsync(new());
        await opening;

        Assert.Equal($"restore restore-{backup.Id}-1 dev", Assert.Single(Backups.Queue.Queued));
        Assert.Single(Backups.Audit.Records, r => r.Action == AuditActions.BackupRestoreRequested && r.User == "alice");
        Assert.EndsWith($"backups?follow=restore-{backup.Id}-1", Navigation.Uri);
        await Backups.RunQueuedJobsAsync();
        page.WaitForAssertion(() => Assert.Equal("Succeeded", TextOf(page.Find("[data-testid=operation-state]"))), Patience);
        page.WaitForAssertion(() => Assert.StartsWith("Succeeded by alice", Cell(page, backup.Id, "Last restore")), Patience);
        Assert.Single(Backups.Audit.Records, r => r.Action == AuditActions.BackupRestored && r.User == "alice");
    }

    [Fact]
    public async Task Cancelling_the_restore_dialog_queues_nothing()
    {
        var backup = await BackupAsync(verified: true);
        SignIn(Alice);
        var page = RenderBackups();

        var opening = ClickButtonAsync(page.Find($"[data-testid=actions-{backup.Id}]"), "Restore");
        Dialogs.WaitForElement("[data-testid=restore-dialog]", Patience);
        await ClickButtonAsync(Dialogs.Find(".mud-dialog"), "Cancel");
        await opening;

        Assert.Empty(Backups.Queue.Queued);
        Assert.Empty(page.FindAll("[data-testid=operation]"));
    }

    [Fact]
    public async Task After_a_reload_the_page_replays_the_operation_it_follows()
    {
        var backup = await BackupAsync();
        var operation = await Backups.Requests.VerifyAsync(Olga, backup.Id, Token);
        await Backups.RunQueuedJobsAsync();

        var page = RenderBackups(follow: operation);

        page.WaitForAssertion(() => Assert.Equal("Succeeded", TextOf(page.Find("[data-testid=operation-state]"))), Patience);
        Assert.Contains($"Verification of backup {backup.Id}, requested by olga", TextOf(page.Find("[data-testid=operation-title]")));
        Assert.Contains("files readable and match the backup", TextOf(page.Find("[data-testid=operation-log]")));
    }

    [Fact]
    public void The_page_follows_only_backup_operations()
    {
        var page = RenderBackups(follow: "r-42");

        Assert.Empty(page.FindAll("[data-testid=operation]"));
    }

    [Fact]
    public async Task An_operator_backs_up_a_whole_database_from_the_page()
    {
        await Backups.MigrateAsync("dev", "1.2.0");
        var page = RenderBackups();

        await page.Find("[data-testid=back-up]").ClickAsync(new());
        await Backups.RunQueuedJobsAsync();

        page.WaitForAssertion(() => Assert.Equal("Succeeded", TextOf(page.Find("[data-testid=operation-state]"))), Patience);
        var backup = Assert.Single(await Backups.Backups.ListAsync(Token));
        Assert.True(backup.WholeDatabase);
        page.WaitForAssertion(() => Assert.StartsWith("whole database: ", Cell(page, backup.Id, "Collections")), Patience);
    }

    [Fact]
    public async Task An_admin_applies_retention_after_confirming()
    {
        for (var i = 0; i < 4; i++) await BackupAsync();
        SignIn(Ada);
        var page = RenderBackups();

        var applying = page.Find("[data-testid=apply-retention]").ClickAsync(new());
        await ClickButtonAsync(Dialogs.WaitForElement(".mud-dialog", Patience), "Apply retention");
        await applying;

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid^=backup-]").Count), Patience);
        Assert.Single(Backups.Audit.Records, r => r.Action == AuditActions.BackupDeleted && r.User == "ada");
    }
}
