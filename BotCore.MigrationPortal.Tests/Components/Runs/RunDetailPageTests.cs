using BotCore.MigrationPortal.Audit;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Targets.Sandbox;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

public sealed partial class RunDetailPageTests : RunsPageContext
{
    private const string Target = "dev";
    private const string To = "1.1.0";

    // ---- runs in each state, made through the run service as people would ----

    private Task<MigrationRun> PreChecksAsync() => Portal.Runs.CreateAsync(Olga, Target, Engine.SchemaVersion.Parse(To), Token);

    private async Task<MigrationRun> AwaitingApprovalAsync(TestPerson requester)
    {
        var run = await Portal.ReadyForApprovalAsync(Target, To, requester);
        return await Portal.Runs.RequestApprovalAsync(requester, run.Id, run.Revision, Token);
    }

    private async Task<MigrationRun> ApprovedAsync()
    {
        var run = await AwaitingApprovalAsync(Olga);
        return await Portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: false, Token);
    }

    private async Task<MigrationRun> SucceededAsync() => await Portal.ExecuteAsync(await Portal.QueuedAsync(Target, To));

    /// <summary>A run whose job finds the target moved on by other means since its approval: nothing changed, it did not start.</summary>
    private async Task<MigrationRun> NotStartedAsync()
    {
        var queued = await Portal.QueuedAsync(Target, To);
        await MigrateTargetOutsideThePortalAsync("1.0.0");
        var refused = await Portal.ExecuteAsync(queued);
        Assert.Equal(RunState.NotStarted, refused.State);
        return refused;
    }

    /// <summary>A run that applied its migration and then failed, leaving it in place.</summary>
    private Task<MigrationRun> FailedAsync() => Portal.FailedRunLeftAppliedAsync(Target, "1.0.0", To);

    private async Task MigrateTargetOutsideThePortalAsync(string version) =>
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(Portal.Targets.Get(Target), version, cancellationToken: Token)).Succeeded);

    // ---- the page ----

    private IRenderedComponent<RunDetail> RenderRun(string id)
    {
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=actions]", Patience);
        return page;
    }

    private static string StateOf(IRenderedComponent<RunDetail> page) => TextOf(page.Find("[data-testid=run-state]"));

    private static IReadOnlyList<string> Actions(IRenderedComponent<RunDetail> page) => ButtonsIn(page.Find("[data-testid=actions]"));

    /// <summary>Clicks an action in the summary, or in a checklist row (where the backup's and "Run pre-checks" are).</summary>
    private static Task ClickAsync(IRenderedComponent<RunDetail> page, string action) =>
        page.FindAll("[data-testid=actions] button, [data-testid=section-checklist] button").Single(button => TextOf(button) == action).ClickAsync(new());

    /// <summary>The actions in the checklist's rows, in page order.</summary>
    private static IReadOnlyList<string> RowActions(IRenderedComponent<RunDetail> page) =>
        page.FindAll("[data-testid=section-checklist] td[data-label=Action] button").Select(TextOf).Where(text => text != "Tick").ToList();

    private static IReadOnlyList<string?> TickButtons(IRenderedComponent<RunDetail> page) =>
        page.FindAll("[data-testid^=tick-]").Select(button => button.GetAttribute("data-testid")).ToList();

    /// <summary>The cells (status, item, evidence) of the checklist row of <paramref name="itemId"/>.</summary>
    private static IReadOnlyList<string> ChecklistRow(IRenderedComponent<RunDetail> page, string itemId) =>
        page.FindAll("[data-testid^=checklist-]").SelectMany(RowsOf).Single(row => row[1].StartsWith(ChecklistTemplate.Get(itemId).Text, StringComparison.Ordinal));

    /// <summary>Types into the open reason dialog and confirms it (the click that opened it completes only then).</summary>
    private async Task AnswerDialogAsync(string text)
    {
        var field = Dialogs.WaitForElement("textarea", Patience);
        await field.InputAsync(new() { Value = text });
        await Dialogs.Find("[data-testid=reason-confirm]").ClickAsync(new());
    }

    private async Task<MigrationRun> NewestRunAsync() => (await Portal.Store.QueryAsync(new RunQuery(), Token)).Runs[0];

    [Fact]
    public void While_the_run_is_read_a_progress_bar_is_shown_then_a_missing_run_is_reported()
    {
        var store = new HeldRunStore(new InMemoryRunStore());
        Services.AddSingleton<IRunStore>(store);

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, "run-missing"));

        Assert.Single(page.FindAll(".mud-progress-linear"));
        Assert.Empty(page.FindAll(".mud-alert"));
        store.Release();
        page.WaitForAssertion(() => Assert.Equal("There is no run run-missing.", TextOf(page.Find(".mud-alert"))), Patience);
        Assert.Empty(page.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public void An_unknown_run_is_reported()
    {
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, "run-nope"));

        page.WaitForAssertion(() => Assert.Equal("There is no run run-nope.", TextOf(page.Find(".mud-alert"))), Patience);
        Assert.Empty(page.FindAll("[data-testid=actions]"));
    }

    [Fact]
    public async Task A_run_in_pre_checks_shows_the_evidence_of_its_automated_items()
    {
        var run = await PreChecksAsync();

        var page = RenderRun(run.Id);

        Assert.Equal("Pre-checks", StateOf(page));
        Assert.StartsWith("0.0.0 → 1.1.0 (up;", TextOf(page.Find("[data-testid=versions]")));
        foreach (var automated in new[] { ChecklistTemplate.Script, ChecklistTemplate.ChecksumsUnchanged, ChecklistTemplate.NoDrift })
        {
            var row = ChecklistRow(page, automated);
            Assert.Equal("passed", row[0]);
            Assert.EndsWith("automated", row[1]);
            Assert.Equal(run.Item(automated)!.Evidence, row[2]);
        }
    }

    [Fact]
    public async Task An_Operator_may_act_on_a_run_in_pre_checks_and_tick_its_manual_items()
    {
        var run = await PreChecksAsync();

        var page = RenderRun(run.Id);

        Assert.Equal(["Request approval", "Cancel run"], Actions(page));
        Assert.Equal(["Back up now", "Back up the whole database instead", "Use backup …", "Run pre-checks"], RowActions(page));
        Assert.Equal(["tick-pre.local-test", "tick-pre.performance", "tick-pre.window", "tick-pre.notify"], TickButtons(page));
    }

    [Fact]
    public async Task A_Viewer_sees_the_run_without_actions_or_ticks()
    {
        var run = await PreChecksAsync();
        SignIn(Victor);

        var page = RenderRun(run.Id);

        Assert.Equal("Pre-checks", StateOf(page));
        Assert.Empty(Actions(page));
        Assert.Empty(TickButtons(page));
        Assert.Equal("passed", ChecklistRow(page, ChecklistTemplate.Script)[0]);
    }

    [Fact]
    public async Task Ticking_an_item_asks_for_a_comment_and_records_who_ticked_it()
    {
        var run = await PreChecksAsync();
        var page = RenderRun(run.Id);

        var ticking = page.Find("[data-testid='tick-pre.performance']").ClickAsync(new());
        await AnswerDialogAsync("batches of 1000 are fine");
        await ticking;

        page.WaitForAssertion(() => Assert.StartsWith("Ticked by olga at ", ChecklistRow(page, ChecklistTemplate.PerformanceReview)[2]), Patience);
        Assert.EndsWith(": “batches of 1000 are fine”", ChecklistRow(page, ChecklistTemplate.PerformanceReview)[2]);
        Assert.DoesNotContain("tick-pre.performance", TickButtons(page));
        WaitForSnackbar("Ticked");
    }

    [Fact]
    public async Task Another_Approver_may_approve_a_run_awaiting_approval()
    {
        var run = await AwaitingApprovalAsync(Alice);
        SignIn(Bob);

        var page = RenderRun(run.Id);

        Assert.Equal("Awaiting approval", StateOf(page));
        Assert.Contains("Approve", Actions(page));
        Assert.Contains("Approve and run", Actions(page));
    }

    [Fact]
    public async Task The_requester_may_not_approve_their_own_run_even_as_an_Approver()
    {
        var run = await AwaitingApprovalAsync(Alice);

        var page = RenderRun(run.Id);

        Assert.Equal("Awaiting approval", StateOf(page));
        Assert.DoesNotContain("Approve", Actions(page));
        Assert.DoesNotContain("Approve and run", Actions(page));
        Assert.Contains("Cancel run", Actions(page));
    }

    [Fact]
    public async Task Approving_and_running_queues_the_job()
    {
        var run = await AwaitingApprovalAsync(Olga);
        SignIn(Bob);
        var page = RenderRun(run.Id);

        await ClickAsync(page, "Approve and run");

        page.WaitForAssertion(() => Assert.Equal("Queued", StateOf(page)), Patience);
        Assert.StartsWith("approved by bob at ", TextOf(page.Find("[data-testid=approval]")));
        Assert.Equal([run.Id], Portal.Queue.Enqueued);
        WaitForSnackbar("Approved and queued");
    }

    [Fact]
    public async Task An_approved_run_offers_Run_which_queues_it()
    {
        var run = await ApprovedAsync();
        var page = RenderRun(run.Id);
        Assert.Equal("Approved", StateOf(page));
        Assert.Contains("Run", Actions(page));

        await ClickAsync(page, "Run");

        page.WaitForAssertion(() => Assert.Equal("Queued", StateOf(page)), Patience);
        Assert.Equal([run.Id], Portal.Queue.Enqueued);
        Assert.DoesNotContain("Run", Actions(page));
    }

    [Fact]
    public async Task A_succeeded_run_shows_its_validation_and_offers_a_rollback()
    {
        var run = await SucceededAsync();

        var page = RenderRun(run.Id);

        Assert.Equal("Succeeded", StateOf(page));
        var validation = RowsOf(page.Find("[data-testid=validation]"));
        Assert.Equal(run.Validation.Select(v => v.Collection), validation.Select(row => row[0]));
        Assert.All(validation, row => Assert.Equal("passed", row[1]));
        Assert.Single(Actions(page), RollbackAction);
    }

    [Fact]
    public async Task Rolling_back_a_succeeded_run_creates_the_rollback_run_and_opens_it()
    {
        var run = await SucceededAsync();
        var page = RenderRun(run.Id);

        // The click's handler waits for the rollback dialog's answer: awaited after the dialog is confirmed.
        var click = ClickAsync(page, Actions(page).Single(RollbackAction));
        Dialogs.WaitForElement("[data-testid=rollback-confirm]", Patience);
        await Dialogs.Find("[data-testid=rollback-confirm]").ClickAsync(new());
        await click;

        // All of the run is undone: the target goes back to where the run started.
        var rollback = await NewestRunAsync();
        Assert.Equal((RunKind.Rollback, run.Id, "1.1.0", run.From.ToString()), (rollback.Kind, rollback.RollbackOf, rollback.From.ToString(), rollback.To.ToString()));
        page.WaitForAssertion(() => Assert.Equal($"http://localhost/runs/{rollback.Id}", Navigation.Uri), Patience);
    }

    [Fact]
    public async Task A_failed_run_shows_its_error_and_offers_an_emergency_rollback()
    {
        var run = await FailedAsync();

        var page = RenderRun(run.Id);

        Assert.Equal("Failed", StateOf(page));
        Assert.Equal(run.Error, TextOf(page.Find("[data-testid=run-error]")));
        Assert.Contains("Emergency rollback", Actions(page));
        Assert.DoesNotContain(Actions(page), RollbackAction);
    }

    [Fact]
    public async Task A_run_whose_validation_failed_shows_it_was_rolled_back_the_failed_check_and_the_setting_that_applied()
    {
        Services.GetRequiredService<SandboxFaults>().Arm(Target, new SandboxFaultSet(PostCheck: "post.catalog"), "ada");
        var run = await Portal.ExecuteAsync(await Portal.QueuedAsync(Target, To));

        var page = RenderRun(run.Id);

        Assert.Equal("Rolled back", StateOf(page));
        Assert.Equal("rolled back at once, as after a failing step (as recorded when the run started)", TextOf(page.Find("[data-testid=on-failed-validation]")));
        var error = TextOf(page.Find("[data-testid=run-error]"));
        Assert.StartsWith("Post-migration validation failed: 'Touched collections match the expected catalog': Sandbox fault: post-migration check 'post.catalog'", error);
        Assert.Contains("Rolled back at once, as the target's setting says: dev is at 0.0.0 again", error);
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=event-log] div"), line => TextOf(line).Contains("Rolled back: dev is at 0.0.0")), Patience);
        Assert.DoesNotContain("Emergency rollback", Actions(page));
    }

    [Fact]
    public async Task Before_it_starts_a_run_shows_what_its_targets_setting_does_when_its_validation_fails()
    {
        var run = await PreChecksAsync();

        var page = RenderRun(run.Id);

        Assert.Null(run.RollBackOnFailedValidation);
        Assert.Equal("rolled back at once, as after a failing step (the target's setting now; recorded when the run starts)",
            TextOf(page.Find("[data-testid=on-failed-validation]")));
    }

    [Fact]
    public async Task A_run_its_job_refused_to_start_says_why_changed_nothing_and_can_be_run_again_but_offers_no_emergency_rollback()
    {
        var run = await NotStartedAsync();

        var page = RenderRun(run.Id);

        Assert.Equal("Not started", StateOf(page));
        Assert.Contains("Nothing was changed on the target", TextOf(page.Find("[data-testid=run-error]")));
        Assert.DoesNotContain("partly migrated", TextOf(page.Find("[data-testid=run-error]")));
        Assert.Contains("Run", Actions(page));
        Assert.DoesNotContain("Emergency rollback", Actions(page));
    }

    [Fact]
    public async Task An_emergency_rollback_shows_what_it_undoes_asks_for_the_reasons_and_opens_the_rollback_run()
    {
        var run = await FailedAsync();
        var page = RenderRun(run.Id);

        var rollingBack = ClickAsync(page, "Emergency rollback");
        var dialog = Dialogs.WaitForElement("[data-testid=emergency-dialog]", Patience);
        Assert.All(dialog.QuerySelectorAll("[data-testid=emergency-steps] li"), step => Assert.StartsWith("1.1.0 down:", TextOf(step)));
        Assert.NotEmpty(dialog.QuerySelectorAll("[data-testid=emergency-steps] li"));
        Assert.NotNull(dialog.QuerySelector("[data-testid=emergency-no-backup]"));
        await Dialogs.Find("textarea[data-testid=emergency-reason]").InputAsync(new() { Value = "the target was migrated by hand" });
        Assert.True(Dialogs.Find("[data-testid=emergency-confirm]").HasAttribute("disabled"));
        await Dialogs.Find("textarea[data-testid=emergency-without-backup]").InputAsync(new() { Value = "the backup job failed before the run" });
        await Dialogs.Find("[data-testid=emergency-confirm]").ClickAsync(new());
        await rollingBack;

        page.WaitForAssertion(() => Assert.NotEqual($"http://localhost/runs/{run.Id}", Navigation.Uri), Patience);
        var rollback = await NewestRunAsync();
        Assert.Equal((RunKind.EmergencyRollback, run.Id, RunState.Queued), (rollback.Kind, rollback.RollbackOf, rollback.State));
        Assert.Equal("the target was migrated by hand", rollback.Item(ChecklistTemplate.RollbackReason)!.Comment);
        Assert.Equal($"http://localhost/runs/{rollback.Id}", Navigation.Uri);
    }

    [Fact]
    public async Task Events_recorded_after_the_page_opened_appear_in_the_live_log()
    {
        var run = await PreChecksAsync();
        var page = RenderRun(run.Id);
        Assert.DoesNotContain("replica lag is 0 s", TextOf(page.Find("[data-testid=event-log]")));

        await Portal.Events.AppendAsync(run.Id, new RunEvent(DateTimeOffset.UtcNow, RunEventKind.Log, "replica lag is 0 s"), Token);

        page.WaitForAssertion(() => Assert.Contains("replica lag is 0 s", TextOf(page.Find("[data-testid=event-log] > div"))), Patience);
    }

    [Fact]
    public async Task A_change_made_elsewhere_is_shown_without_reloading_the_page()
    {
        var run = await PreChecksAsync();
        var page = RenderRun(run.Id);

        await Portal.Runs.CancelAsync(Ada, run.Id, run.Revision, Token);

        page.WaitForAssertion(() => Assert.Equal("Cancelled", StateOf(page)), Patience);
        Assert.Empty(Actions(page));
        Assert.Empty(TickButtons(page));
    }

    [Fact]
    public async Task An_action_on_a_stale_page_is_refused_with_the_reason_and_the_run_is_shown_as_it_is_now()
    {
        var run = await PreChecksAsync();
        var page = RenderRun(run.Id);
        // Another portal instance ticked an item; the notification of that change has not reached this page yet.
        var ticked = run.Item(ChecklistTemplate.LocalTest)! with { Status = ItemStatus.Ticked, By = "alice", At = DateTime.UtcNow, Comment = "tested locally" };
        Assert.True(await Portal.Store.TryReplaceAsync(run.WithItem(ticked) with { Revision = run.Revision + 1 }, run.Revision, Token));

        await ClickAsync(page, "Run pre-checks");

        WaitForSnackbar($"Run {run.Id} changed since your page showed it");
        page.WaitForAssertion(() => Assert.StartsWith("Ticked by alice", ChecklistRow(page, ChecklistTemplate.LocalTest)[2]), Patience);
        Assert.Equal(run.Revision + 1, (await Portal.Runs.GetAsync(run.Id, Token)).Revision);
    }

    [Fact]
    public async Task An_approval_refused_because_the_pre_checks_no_longer_pass_shows_why_and_the_run_back_in_pre_checks()
    {
        var run = await AwaitingApprovalAsync(Olga);
        SignIn(Bob);
        var page = RenderRun(run.Id);
        await MigrateTargetOutsideThePortalAsync("1.0.0");

        await ClickAsync(page, "Approve");

        WaitForSnackbar("Not approved: the pre-checks no longer pass");
        page.WaitForAssertion(() => Assert.Equal("Pre-checks", StateOf(page)), Patience);
        Assert.DoesNotContain("Approve", Actions(page));
        Assert.Empty(Portal.Queue.Enqueued);
    }

    public static TheoryData<string> WaysToLoseTheRightToApprove => ["demoted to Viewer", "disabled", "signed out everywhere", "role changed in the store"];

    [Theory]
    [MemberData(nameof(WaysToLoseTheRightToApprove))]
    public async Task A_page_opened_before_the_approver_lost_the_right_cannot_approve_or_run(string how)
    {
        var run = await AwaitingApprovalAsync(Olga);
        SignIn(Bob);
        var page = RenderRun(run.Id);
        Assert.Contains("Approve and run", Actions(page));
        var administration = Services.GetRequiredService<UserAdministration>();
        switch (how)
        {
            case "demoted to Viewer": await administration.ChangeRoleAsync(Ada, "bob", Role.Viewer, Token); break;
            case "disabled": await administration.SetDisabledAsync(Ada, "bob", true, Token); break;
            case "signed out everywhere": await PortalUsers.RotateSecurityStampAsync("bob", Token); break;
            default: await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync("bob", Token))! with { Role = Role.Viewer }, Token); break;
        }

        await ClickAsync(page, "Approve and run");

        WaitForSnackbar(how == "role changed in the store" ? "bob (Viewer) may not approve runs" : how == "disabled" ? "is disabled" : "Your session has ended");
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((RunState.AwaitingApproval, null), (stored.State, stored.Approval));
        Assert.Empty(Portal.Queue.Enqueued);
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith($"tried to approve and run run {run.Id}", StringComparison.Ordinal));
        Assert.Equal("bob", refused.User);
        page.WaitForAssertion(() => Assert.DoesNotContain("Approve and run", Actions(page)), Patience);
    }

    [Fact]
    public async Task The_page_names_who_prepared_the_run_and_tells_a_preparing_Approver_why_she_cannot_approve()
    {
        var run = await Portal.ReadyForApprovalAsync(Target, To, Olga);
        run = await Portal.BackUpAsync(run, Alice);
        run = await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        SignIn(Alice);

        var page = RenderRun(run.Id);

        var preparedBy = TextOf(page.Find("[data-testid=prepared-by]"));
        Assert.StartsWith("olga (created the run, requested approval, ticked ", preparedBy);
        Assert.Contains("alice (took its backup)", preparedBy);
        var who = TextOf(page.Find("[data-testid=who-may-approve]"));
        Assert.StartsWith("An Approver or Admin other than olga and alice. You may not: Four eyes: alice took its backup", who);
        Assert.DoesNotContain("Approve", Actions(page));
    }

    /// <summary>The button that rolls back a succeeded run (its wording has changed before: "Roll back to …", "Create rollback run").</summary>
    private static bool RollbackAction(string action) => RollbackWording().IsMatch(action);

    [GeneratedRegex("^(Roll back|Create rollback)")]
    private static partial Regex RollbackWording();

    /// <summary>The run store with reading a run held back until <see cref="Release"/>, to see a page before its run arrives.</summary>
    private sealed class HeldRunStore(IRunStore inner) : IRunStore
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => released.SetResult();

        public async Task<MigrationRun?> FindAsync(string id, CancellationToken cancellationToken)
        {
            await released.Task.WaitAsync(cancellationToken);
            return await inner.FindAsync(id, cancellationToken);
        }

        public Task<MigrationRun?> TryInsertAsync(MigrationRun run, CancellationToken cancellationToken) => inner.TryInsertAsync(run, cancellationToken);
        public Task<bool> TryReplaceAsync(MigrationRun run, long expectedRevision, CancellationToken cancellationToken) => inner.TryReplaceAsync(run, expectedRevision, cancellationToken);
        public Task<RunPage> QueryAsync(RunQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);
        public Task<IReadOnlyList<MigrationRun>> SucceededOnTierAsync(TargetTier tier, CancellationToken cancellationToken) => inner.SucceededOnTierAsync(tier, cancellationToken);
        public Task<MigrationRun?> LatestForTargetAsync(string target, CancellationToken cancellationToken) => inner.LatestForTargetAsync(target, cancellationToken);
        public Task<IReadOnlyList<MigrationRun>> OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);
    }
}
