using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// The run page's backup components on their own, as the page places them in the checklist rows: <see cref="RunBackupActions"/> ("Back up
/// now" with the scope, "Use backup …") and <see cref="RestoreFromBackupButton"/>. The test stands in for the page's <c>Do</c>: it acts as the
/// signed-in person and keeps the run or the refusal. Each has a stale-page test: the role is lowered after the page showed the button.
/// </summary>
public sealed class RunBackupComponentsTests : RunsPageContext
{
    private MigrationRun? after;
    private string? refusal;
    private TestPerson person = Olga;

    private IBackupService Store => Services.GetRequiredService<IBackupService>();

    private void As(TestPerson who)
    {
        person = who;
        SignIn(who);
    }

    /// <summary>What the run page does with an act: runs it as the person and keeps the outcome.</summary>
    private EventCallback<RunStartActions.Act> Do() => EventCallback.Factory.Create<RunStartActions.Act>(this, async act =>
    {
        try
        {
            after = await act.Action(person);
        }
        catch (MigrationEngineException e)
        {
            refusal = e.Message;
        }
    });

    private IRenderedComponent<RunBackupActions> RenderBackupActions(MigrationRun run) => RenderPage<RunBackupActions>(p => p
        .Add(x => x.Run, run).Add(x => x.Actions, RunRules.Allowed(run, person)).Add(x => x.Do, Do()));

    private IRenderedComponent<RestoreFromBackupButton> RenderRestoreButton(MigrationRun run) => RenderPage<RestoreFromBackupButton>(p => p
        .Add(x => x.Run, run).Add(x => x.Actions, RunRules.Allowed(run, person)).Add(x => x.Do, Do()));

    private async Task LowerAsync(TestPerson who, Role role) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(who.Name, Token))! with { Role = role }, Token);

    private void AssertRefusalAudited(string user, string attempted) =>
        Assert.Equal(user, Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith(attempted, StringComparison.Ordinal)).User);

    [Fact]
    public async Task On_dev_back_up_now_takes_the_touched_collections_and_the_whole_database_is_one_click_away()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        var actions = RenderBackupActions(run);

        Assert.Equal("Back up now", TextOf(actions.Find("[data-testid=back-up-now]")));
        Assert.StartsWith("of the ", TextOf(actions.Find("[data-testid=back-up-now-scope]")));
        Assert.EndsWith("collections it touches", TextOf(actions.Find("[data-testid=back-up-now-scope]")));
        Assert.Equal("Back up the whole database instead", TextOf(actions.Find("[data-testid=back-up-other-scope]")));

        await actions.Find("[data-testid=back-up-other-scope]").ClickAsync(new());

        Assert.Null(refusal);
        Assert.Equal((run.Id, BackupScope.WholeDatabase), (Portal.Queue.Backups[^1].RunId, Portal.Queue.Backups[^1].Scope));
    }

    [Fact]
    public async Task On_Production_back_up_now_takes_the_whole_database_and_says_why_there_is_no_other_choice()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "production", SchemaVersion.Parse("1.0.0"), Token);
        var actions = RenderBackupActions(run);

        Assert.Equal("of the whole database", TextOf(actions.Find("[data-testid=back-up-now-scope]")));
        Assert.Empty(actions.FindAll("[data-testid=back-up-other-scope]"));
        Assert.Contains("is on Production, where the spec's checklist asks for a full database backup", TextOf(actions.Find("[data-testid=backup-scope-note]")));

        await actions.Find("[data-testid=back-up-now]").ClickAsync(new());

        Assert.Equal(BackupScope.WholeDatabase, Portal.Queue.Backups[^1].Scope);
    }

    [Fact]
    public async Task Backing_up_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        var actions = RenderBackupActions(run);
        await LowerAsync(Olga, Role.Viewer);

        await actions.Find("[data-testid=back-up-other-scope]").ClickAsync(new());

        Assert.StartsWith("olga (Viewer) may not back up targets", refusal);
        Assert.Empty(Portal.Queue.Backups);
        Assert.Equal(run.Revision, (await Portal.Runs.GetAsync(run.Id, Token)).Revision);
        AssertRefusalAudited("olga", $"tried to back up for run {run.Id}");
    }

    [Fact]
    public async Task Use_backup_lists_the_recent_verified_whole_database_backups_and_attaches_the_one_chosen()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        var actions = RenderBackupActions(run);
        await actions.Find("[data-testid=use-backup]").ClickAsync(new());
        actions.WaitForAssertion(() => Assert.Single(actions.FindAll("[data-testid=no-attachable-backup]")), Patience);
        Assert.Contains("No verified whole-database backup of dev taken in the last 6 h", TextOf(actions.Find("[data-testid=no-attachable-backup]")));
        var backup = await WholeDatabaseBackupAsync();
        // The list was read when it opened: closing and opening it again reads it anew.
        await actions.Find("[data-testid=use-backup]").ClickAsync(new());
        await actions.Find("[data-testid=use-backup]").ClickAsync(new());
        var use = actions.WaitForElement($"[data-testid=use-backup-{backup.Id}]", Patience);
        Assert.Contains("whole database, taken", TextOf(actions.Find("[data-testid=attachable-backups]")));

        await use.ClickAsync(new());

        Assert.Null(refusal);
        Assert.Equal(backup.Id, after!.AttachedBackup!.BackupId);
        Assert.Equal(ItemStatus.Passed, after.Item(ChecklistTemplate.Backup)!.Status);
    }

    [Fact]
    public async Task Attaching_a_backup_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var backup = await WholeDatabaseBackupAsync();
        var run = await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        var actions = RenderBackupActions(run);
        await actions.Find("[data-testid=use-backup]").ClickAsync(new());
        var use = actions.WaitForElement($"[data-testid=use-backup-{backup.Id}]", Patience);
        await LowerAsync(Olga, Role.Viewer);

        await use.ClickAsync(new());

        Assert.StartsWith("olga (Viewer) may not attach backups to runs", refusal);
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((null, run.Revision), (stored.AttachedBackup, stored.Revision));
        Assert.DoesNotContain(Portal.Audit.Records, r => r.Action == AuditActions.BackupAttached);
        AssertRefusalAudited("olga", $"tried to attach backup {backup.Id} to run {run.Id}");
    }

    [Fact]
    public async Task Restore_from_backup_is_offered_to_an_Approver_on_a_failed_rollback_and_queues_the_restore_after_the_name_is_typed()
    {
        var rollback = await FailedRollbackAsync();
        var asOperator = Render<RestoreFromBackupButton>(p => p.Add(x => x.Run, rollback).Add(x => x.Actions, RunRules.Allowed(rollback, Olga)).Add(x => x.Do, Do()));
        Assert.Empty(asOperator.FindAll("[data-testid=restore-from-backup]"));
        As(Alice);
        var button = RenderRestoreButton(rollback);

        var click = button.Find("[data-testid=restore-from-backup]").ClickAsync(new());
        var field = Dialogs.WaitForElement("input[data-testid=restore-confirmation]", Patience);
        Assert.Contains(rollback.Id, TextOf(Dialogs.Find("[data-testid=restore-for-run]")));
        await field.InputAsync(new() { Value = "dev" });
        await Dialogs.Find("[data-testid=restore-confirm]").ClickAsync(new());
        await click;

        Assert.Null(refusal);
        Assert.Equal(ItemStatus.Open, after!.Item(ChecklistTemplate.RestoredFromBackup)!.Status);
        button.Render(p => p.Add(x => x.Run, after).Add(x => x.Actions, RunRules.Allowed(after, Alice)));
        Assert.Contains($"Restore {after.Restore!.RestoreId} of backup {after.Restore.BackupId}, started by alice", TextOf(button.Find("[data-testid=run-restore]")));
        Assert.Empty(button.FindAll("[data-testid=restore-from-backup]"));
        await Services.GetRequiredService<RecordingBackupJobQueue>().RunAsync(Services.GetRequiredService<BackupJobs>(), Token);
        Assert.Equal(ItemStatus.Passed, (await Portal.Runs.GetAsync(rollback.Id, Token)).Item(ChecklistTemplate.RestoredFromBackup)!.Status);
    }

    [Fact]
    public async Task A_restore_confirmed_in_a_dialog_opened_while_an_Approver_is_refused_once_she_is_an_Operator()
    {
        var rollback = await FailedRollbackAsync();
        As(Alice);
        var button = RenderRestoreButton(rollback);
        var click = button.Find("[data-testid=restore-from-backup]").ClickAsync(new());
        var field = Dialogs.WaitForElement("input[data-testid=restore-confirmation]", Patience);
        await field.InputAsync(new() { Value = "dev" });
        await LowerAsync(Alice, Role.Operator);

        await Dialogs.Find("[data-testid=restore-confirm]").ClickAsync(new());
        await click;

        Assert.StartsWith("alice (Operator) may not restore backups", refusal);
        var stored = await Portal.Runs.GetAsync(rollback.Id, Token);
        Assert.Equal((null, rollback.Revision), (stored.Restore, stored.Revision));
        Assert.Empty(Services.GetRequiredService<RecordingBackupJobQueue>().Queued);
        AssertRefusalAudited("alice", $"tried to restore from backup for run {rollback.Id}");
    }

    private async Task<BackupManifest> WholeDatabaseBackupAsync()
    {
        var backup = await Store.CreateAsync(Ada, "dev", null, null, new RecordingProgress(), Token);
        return await Store.VerifyAsync(Ada, backup.Id, new RecordingProgress(), Token);
    }

    /// <summary>A dev run backed up before it ran, and its rollback run, which failed.</summary>
    private async Task<MigrationRun> FailedRollbackAsync()
    {
        var run = await Portal.BackUpAsync(await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token));
        var rollback = new MigrationRun
        {
            Id = "run-rollback-dev", Target = "dev", Tier = run.Tier, From = run.To, To = run.From, Kind = RunKind.Rollback, RollbackOf = run.Id,
            Checksums = [], RequestedBy = Olga.Name, State = RunState.RollbackFailed, FinishedAt = DateTime.UtcNow,
            Checklist = ChecklistTemplate.NewChecklist(RunKind.Rollback),
        };
        Assert.Null(await Portal.Store.TryInsertAsync(rollback, Token));
        return await Portal.Runs.GetAsync(rollback.Id, Token);
    }
}
