using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>The run service's rules: roles, four eyes, approval binding, the state machine, stale pages and double clicks.</summary>
public sealed class RunServiceTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task A_new_run_is_pre_checked_with_evidence_and_waits_for_the_manual_items()
    {
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.3.0"), Token);

        Assert.Equal(RunState.PreChecks, run.State);
        Assert.Equal((SchemaVersion.Zero, SchemaVersion.Parse("1.3.0")), (run.From, run.To));
        Assert.Equal(portal.Registry.Migrations.Select(m => m.Checksum), run.Checksums.Select(c => c.Checksum));
        foreach (var automated in new[] { ChecklistTemplate.Script, ChecklistTemplate.RollbackDocumented, ChecklistTemplate.ChecksumsUnchanged, ChecklistTemplate.NoDrift, ChecklistTemplate.CurrentVersion })
        {
            var item = run.Item(automated)!;
            Assert.Equal(ItemStatus.Passed, item.Status);
            Assert.False(string.IsNullOrWhiteSpace(item.Evidence));
        }
        Assert.Equal(ItemStatus.NotRequired, run.Item(ChecklistTemplate.StagingTest)!.Status);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.Backup)!.Status);
        Assert.Contains("Back up now", run.Item(ChecklistTemplate.Backup)!.Evidence);
        Assert.Equal(ItemStatus.Open, run.Item(ChecklistTemplate.PerformanceReview)!.Status);
        Assert.Equal([AuditActions.RunCreated, AuditActions.PreChecksRun], portal.Audit.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task Approval_cannot_be_requested_until_the_required_manual_items_are_ticked()
    {
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.3.0"), Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains("'Reviewed migration for performance impact' is not ticked", refused.Message);
        Assert.Contains("'Notified team of upcoming migration' is not ticked", refused.Message);
        Assert.Equal(RunState.PreChecks, (await portal.Runs.GetAsync(run.Id, Token)).State);
    }

    [Fact]
    public async Task A_tick_records_who_when_and_the_comment()
    {
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);

        run = await portal.Runs.TickAsync(Olga, run.Id, ChecklistTemplate.PerformanceReview, "batches of 1000 are fine", run.Revision, Token);

        var item = run.Item(ChecklistTemplate.PerformanceReview)!;
        Assert.Equal((ItemStatus.Ticked, "olga", "batches of 1000 are fine"), (item.Status, item.By, item.Comment));
        Assert.NotNull(item.At);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ChecklistTicked && r.User == "olga" && r.Details.Contains("batches of 1000"));
    }

    [Fact]
    public async Task The_requester_cannot_approve_their_own_run_even_as_an_Approver()
    {
        var run = await portal.Runs.CreateAsync(Alice, "dev", SchemaVersion.Parse("1.1.0"), Token);
        foreach (var id in new[] { ChecklistTemplate.PerformanceReview, ChecklistTemplate.TeamNotified })
        {
            run = await portal.Runs.TickAsync(Alice, run.Id, id, null, run.Revision, Token);
        }
        run = await portal.BackUpAsync(run, Alice);
        run = await portal.Runs.RequestApprovalAsync(Alice, run.Id, run.Revision, Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ApproveAsync(Alice, run.Id, run.Revision, false, Token));

        Assert.Contains("Four eyes", refused.Message);
        Assert.Null((await portal.Runs.GetAsync(run.Id, Token)).Approval);
        Assert.DoesNotContain(RunAction.Approve, RunRules.Allowed(run, Alice));
        Assert.Contains(RunAction.Approve, RunRules.Allowed(run, Bob));
    }

    [Fact]
    public async Task An_approval_binds_the_checksums_target_versions_and_pre_check_results()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.3.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);

        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);

        Assert.Equal(RunState.Approved, run.State);
        Assert.Equal("bob", run.Approval!.By);
        Assert.Contains("target = dev", run.Approval.BoundFacts);
        Assert.Contains("versions = 0.0.0 → 1.3.0", run.Approval.BoundFacts);
        Assert.Contains($"checksum 1.3.0 = {portal.Registry.Find(SchemaVersion.Parse("1.3.0"))!.Checksum}", run.Approval.BoundFacts);
        Assert.Contains("Live catalog matches the expected catalog (no drift) = Passed", run.Approval.BoundFacts);
    }

    [Fact]
    public async Task An_approval_is_voided_when_a_pre_check_result_changes_and_says_what_changed()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.3.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);
        // Someone creates a managed collection by hand on the target after the approval: the catalog drifts.
        await ChangeByHandAsync(portal.Targets.Get("dev"), new CreateCollectionStep(CollectionDefinition.Plain("users")));

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains("approval by bob is void", refused.Message);
        Assert.Contains("Live catalog matches the expected catalog (no drift): was Passed, is now Failed", refused.Message);
        var voided = await portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal(RunState.PreChecks, voided.State);
        Assert.Null(voided.Approval);
        Assert.Contains("voided", voided.ApprovalVoided);
        Assert.Empty(portal.Queue.Enqueued);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ApprovalVoided && r.RunId == run.Id);
    }

    [Fact]
    public async Task An_approval_is_voided_when_a_migrations_checksum_changes_in_a_new_build()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.3.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);
        var edited = new MigrationRegistry(portal.Registry.Migrations.Select(m =>
            m.Version == SchemaVersion.Parse("1.3.0") ? RegisteredMigration.FromSource(m.Definition, m.Source + "\n// edited after approval\n") : m));

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.RunsWithRegistry(edited).StartAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains("Migration checksums unchanged: was Passed, is now Failed", refused.Message);
        Assert.Equal(RunState.PreChecks, (await portal.Runs.GetAsync(run.Id, Token)).State);
        Assert.Empty(portal.Queue.Enqueued);
    }

    [Fact]
    public async Task A_double_click_or_a_second_browser_on_run_queues_one_job()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);

        var clicks = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try
            {
                return (await portal.Runs.StartAsync(Olga, run.Id, run.Revision, Token)).State.ToString();
            }
            catch (ActionRefusedException e)
            {
                return e.Message;
            }
        }));

        Assert.Equal([run.Id], portal.Queue.Enqueued);
        Assert.Single(clicks, c => c == nameof(RunState.Queued));
        Assert.Single(clicks, c => c.Contains("changed"));
        Assert.Equal(RunState.Queued, (await portal.Runs.GetAsync(run.Id, Token)).State);
    }

    [Fact]
    public async Task A_failing_blocking_integrity_check_blocks_the_run_with_a_message_naming_the_check()
    {
        var target = portal.Targets.Get("dev");
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var emailIndex = portal.Registry.ExpectedCatalogAt(SchemaVersion.Parse("1.2.0")).Get("users").Indexes["idx_users_email_unique"];
        await ChangeByHandAsync(target, new DropIndexStep("users", emailIndex));

        var run = await portal.ReadyForApprovalAsync("dev", "1.3.0");

        var validation = run.Item(ChecklistTemplate.PreValidation)!;
        Assert.Equal(ItemStatus.Failed, validation.Status);
        Assert.Contains("Blocked by 'Critical email index present'", validation.Evidence);
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token));
        Assert.Contains("'Ran pre-migration validation' failed: Blocked by 'Critical email index present'", refused.Message);
        Assert.Equal(RunState.PreChecks, (await portal.Runs.GetAsync(run.Id, Token)).State);
    }

    [Fact]
    public async Task A_page_showing_an_older_revision_is_refused_and_nothing_changes()
    {
        var shown = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        await portal.Runs.TickAsync(Olga, shown.Id, ChecklistTemplate.PerformanceReview, null, shown.Revision, Token);

        var refused = await Assert.ThrowsAsync<ConflictRefusalException>(() =>
            portal.Runs.TickAsync(Olga, shown.Id, ChecklistTemplate.TeamNotified, null, shown.Revision, Token));

        Assert.Contains("changed since your page showed it", refused.Message);
        Assert.Equal(ItemStatus.Open, (await portal.Runs.GetAsync(shown.Id, Token)).Item(ChecklistTemplate.TeamNotified)!.Status);
    }

    public static readonly TheoryData<string> ActionsBelowTheirRole = ["create", "tick", "pre-checks", "request", "approve-as-operator", "start", "cancel", "override-as-approver", "rollback"];

    [Theory]
    [MemberData(nameof(ActionsBelowTheirRole))]
    public async Task Every_action_checks_its_role_on_the_server(string action)
    {
        var run = await portal.ReadyForApprovalAsync("production", "1.1.0");
        Func<Task> attempt = action switch
        {
            "create" => () => portal.Runs.CreateAsync(Victor, "dev", SchemaVersion.Parse("1.0.0"), Token),
            "tick" => () => portal.Runs.TickAsync(Victor, run.Id, ChecklistTemplate.LocalTest, null, run.Revision, Token),
            "pre-checks" => () => portal.Runs.RunPreChecksAsync(Victor, run.Id, run.Revision, Token),
            "request" => () => portal.Runs.RequestApprovalAsync(Victor, run.Id, run.Revision, Token),
            "approve-as-operator" => () => portal.Runs.ApproveAsync(Olga, run.Id, run.Revision, false, Token),
            "start" => () => portal.Runs.StartAsync(Victor, run.Id, run.Revision, Token),
            "cancel" => () => portal.Runs.CancelAsync(Victor, run.Id, run.Revision, Token),
            "override-as-approver" => () => portal.Runs.OverrideStagingAsync(Bob, run.Id, "no staging environment this week", run.Revision, Token),
            _ => () => portal.Runs.CreateRollbackAsync(Victor, "production", null, null, Token),
        };

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(attempt);

        Assert.Matches("needs the (Operator|Approver|Admin) role", refused.Message);
        Assert.Equal(run.Revision, (await portal.Runs.GetAsync(run.Id, Token)).Revision);
        Assert.Empty(RunRules.Allowed(run, Victor));
    }

    [Fact]
    public async Task A_Production_run_needs_a_staging_run_of_the_same_checksums_or_an_Admins_written_override()
    {
        var run = await portal.ReadyForApprovalAsync("production", "1.1.0");
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.StagingTest)!.Status);
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token));
        Assert.Contains("Tested migration on staging", refused.Message);
        await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.OverrideStagingAsync(Ada, run.Id, "too short", run.Revision, Token));

        run = await portal.Runs.OverrideStagingAsync(Ada, run.Id, "staging is being rebuilt; change reviewed by the team", run.Revision, Token);

        Assert.Equal(ItemStatus.Overridden, run.Item(ChecklistTemplate.StagingTest)!.Status);
        Assert.Contains("staging is being rebuilt", run.Item(ChecklistTemplate.StagingTest)!.Evidence);
        Assert.Equal(RunState.AwaitingApproval, (await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token)).State);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.StagingOverride && r.User == "ada" && r.Role == "Admin");
    }

    [Fact]
    public async Task A_succeeded_staging_run_is_the_evidence_a_Production_run_needs()
    {
        var staging = await portal.ExecuteAsync(await portal.QueuedAsync("staging", "1.1.0"));
        Assert.Equal(RunState.Succeeded, staging.State);

        var production = await portal.ReadyForApprovalAsync("production", "1.1.0");

        // A simulated staging target holds no production-like data: the item is satisfied, but simulated, not passed.
        var item = production.Item(ChecklistTemplate.StagingTest)!;
        Assert.Equal(ItemStatus.Simulated, item.Status);
        Assert.True(item.IsSatisfied);
        Assert.Contains(staging.Id, item.Evidence);
        Assert.Contains("simulated target that holds no data", item.Evidence);
    }

    [Fact]
    public async Task Cancelling_before_the_run_starts_closes_it_and_changes_nothing()
    {
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);

        run = await portal.Runs.CancelAsync(Olga, run.Id, run.Revision, Token);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal(SchemaVersion.Zero, (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
        await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.TickAsync(Olga, run.Id, ChecklistTemplate.TeamNotified, null, run.Revision, Token));
    }

    [Fact]
    public async Task A_succeeded_run_can_be_rolled_back_by_a_rollback_run_with_the_rollback_checklist()
    {
        var done = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.2.0"));

        var rollback = await portal.Runs.CreateRollbackAsync(Olga, "dev", done.Id, null, Token);

        Assert.Equal((RunKind.Rollback, SchemaVersion.Parse("1.2.0"), SchemaVersion.Zero, done.Id), (rollback.Kind, rollback.From, rollback.To, rollback.RollbackOf));
        Assert.Contains(rollback.Checklist, i => i.ItemId == ChecklistTemplate.RollbackReason);
        Assert.DoesNotContain(rollback.Checklist, i => i.ItemId == ChecklistTemplate.PerformanceReview);
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.RequestApprovalAsync(Olga, rollback.Id, rollback.Revision, Token));
        Assert.Contains("Documented rollback reason", refused.Message);
    }

    [Fact]
    public async Task Rolling_back_a_run_undoes_all_of_it_by_default_and_says_so_before_it_is_created()
    {
        var done = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.2.0"));
        Assert.Equal(SchemaVersion.Zero, done.From);

        var preview = await portal.Runs.PreviewRollbackAsync(Olga, "dev", done.Id, null, Token);

        Assert.Equal((SchemaVersion.Parse("1.2.0"), SchemaVersion.Zero), (preview.From, preview.To));
        Assert.Equal(["1.1.0", "1.0.0", "0.0.0"], preview.Choices.Select(v => v.ToString()));
        Assert.Equal("1.2.0 down", preview.Steps[0][..10]);
        Assert.Equal("1.0.0 down", preview.Steps[^1][..10]);
        Assert.Contains("every document of users (1.0.0 down)", preview.DataAtRisk);
        Assert.Contains("Documented rollback reason", preview.Checklist);
        var rollback = await portal.Runs.CreateRollbackAsync(Olga, "dev", done.Id, null, Token);
        Assert.Equal((SchemaVersion.Parse("1.2.0"), SchemaVersion.Zero), (rollback.From, rollback.To));
    }

    [Fact]
    public async Task A_target_is_rolled_back_to_the_version_chosen_and_a_version_not_below_it_is_refused_with_the_choices()
    {
        await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.2.0"));

        var nearer = await portal.Runs.PreviewRollbackAsync(Olga, "dev", null, SchemaVersion.Parse("1.1.0"), Token);
        var rollback = await portal.Runs.CreateRollbackAsync(Olga, "dev", null, SchemaVersion.Parse("1.0.0"), Token);
        var refused = await Assert.ThrowsAsync<BadInputException>(() => portal.Runs.PreviewRollbackAsync(Olga, "dev", null, SchemaVersion.Parse("1.3.0"), Token));

        Assert.DoesNotContain(nearer.DataAtRisk, d => d.Contains("users"));
        Assert.Equal((SchemaVersion.Parse("1.2.0"), SchemaVersion.Parse("1.0.0"), null), (rollback.From, rollback.To, rollback.RollbackOf));
        Assert.Equal("Target 'dev' is at 1.2.0: it can be rolled back to 1.1.0, 1.0.0, 0.0.0, not 1.3.0.", refused.Message);
    }

    [Fact]
    public async Task A_rollback_run_is_not_rolled_back_in_turn()
    {
        var done = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.2.0"));
        var rollback = await portal.Runs.CreateRollbackAsync(Olga, "dev", done.Id, SchemaVersion.Parse("1.1.0"), Token);
        rollback = await portal.Runs.TickAsync(Olga, rollback.Id, ChecklistTemplate.ApplicationStopped, null, rollback.Revision, Token);
        rollback = await portal.Runs.TickAsync(Olga, rollback.Id, ChecklistTemplate.RollbackReason, "reporting team is not ready", rollback.Revision, Token);
        rollback = await portal.BackUpAsync(rollback);
        rollback = await portal.Runs.RequestApprovalAsync(Olga, rollback.Id, rollback.Revision, Token);
        rollback = await portal.ExecuteAsync(await portal.Runs.ApproveAsync(Bob, rollback.Id, rollback.Revision, andRun: true, Token));
        Assert.Equal(RunState.Succeeded, rollback.State);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.CreateRollbackAsync(Olga, "dev", rollback.Id, null, Token));

        Assert.Contains("undone by migrating up again", refused.Message);
        Assert.DoesNotContain(RunAction.CreateRollback, RunRules.Allowed(rollback, Olga));
        Assert.Contains(RunAction.CreateRollback, RunRules.Allowed(done, Olga));
    }

    [Fact]
    public async Task A_comment_or_reason_longer_than_the_page_allows_is_refused_on_the_server_and_changes_nothing()
    {
        var run = await portal.Runs.CreateAsync(Olga, "production", SchemaVersion.Parse("1.0.0"), Token);
        var pasted = new string('x', FreeText.MaximumLength + 1);

        var comment = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.TickAsync(Olga, run.Id, ChecklistTemplate.PerformanceReview, pasted, run.Revision, Token));
        var reason = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.OverrideStagingAsync(Ada, run.Id, pasted, run.Revision, Token));

        Assert.StartsWith("The comment has 2,001 characters; at most 2,000 are kept.", comment.Message);
        Assert.StartsWith("The reason for an override has 2,001 characters", reason.Message);
        Assert.Equal(run.Revision, (await portal.Runs.GetAsync(run.Id, Token)).Revision);
    }

    [Fact]
    public async Task A_second_open_run_on_a_target_is_refused_at_creation_naming_the_open_one()
    {
        var open = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);

        var refused = await Assert.ThrowsAsync<ConflictRefusalException>(() => portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.3.0"), Token));

        Assert.StartsWith($"Target 'dev' already has an open run, {open.Id} (up 0.0.0 → 1.0.0, Pre-checks, by olga)", refused.Message);
        Assert.Single((await portal.Store.QueryAsync(new MigrationPortal.Runs.Store.RunQuery("dev"), Token)).Runs);
        await portal.Runs.CancelAsync(Olga, open.Id, open.Revision, Token);
        Assert.Equal(SchemaVersion.Parse("1.3.0"), (await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.3.0"), Token)).To);
    }

    private Task<MigrationRun> FailedRunLeftAppliedAsync(string target = "dev") => portal.FailedRunLeftAppliedAsync(target, "1.2.0", "1.3.0");

    [Fact]
    public async Task An_emergency_rollback_of_a_failed_run_runs_without_approval_and_is_marked()
    {
        var failed = await FailedRunLeftAppliedAsync();
        await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.EmergencyRollbackAsync(Olga, failed.Id, new EmergencyRollbackRequest("short", "no backup was taken: it failed"), Token));

        var emergency = await portal.Runs.EmergencyRollbackAsync(Olga, failed.Id,
            new EmergencyRollbackRequest("validation failed on risk_metrics; undo now", "its backup job failed; the risk collections are new"), Token);

        Assert.Equal((RunKind.EmergencyRollback, RunState.Queued), (emergency.Kind, emergency.State));
        Assert.Null(emergency.Approval);
        Assert.Equal("validation failed on risk_metrics; undo now", emergency.Item(ChecklistTemplate.RollbackReason)!.Comment);
        Assert.Equal([emergency.Id], portal.Queue.Enqueued);
        var audited = Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.EmergencyRollback);
        Assert.Contains("without a second approval", audited.Details);
        Assert.Contains("no verified backup: its backup job failed", audited.Details);
        var finished = await portal.ExecuteAsync(emergency);
        Assert.Equal(RunState.Succeeded, finished.State);
        Assert.Equal(SchemaVersion.Parse("1.2.0"), (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task The_preview_of_an_emergency_rollback_lists_exactly_the_steps_of_what_the_failed_run_left_applied()
    {
        var failed = await FailedRunLeftAppliedAsync();

        var preview = await portal.Runs.PreviewEmergencyRollbackAsync(Olga, failed.Id, Token);

        Assert.Equal((SchemaVersion.Parse("1.3.0"), SchemaVersion.Parse("1.2.0")), (preview.Undo.From, preview.Undo.To));
        Assert.Equal(portal.Registry.Find(SchemaVersion.Parse("1.3.0"))!.Steps.Count, preview.Steps.Count);
        Assert.All(preview.Steps, step => Assert.StartsWith("1.3.0 down: ", step));
        Assert.Null(preview.Backup);
        Assert.False(preview.TargetNameRequired);
    }

    [Fact]
    public async Task An_emergency_rollback_never_undoes_another_runs_work()
    {
        var failed = await FailedRunLeftAppliedAsync();
        // Someone else's run took the target on after the failed one.
        var other = portal.Targets.Get("dev");
        await new EngineHarness(portal.Registry).MigrateAsync(other, "1.2.0", cancellationToken: Token);
        await new EngineHarness(portal.Registry).MigrateAsync(other, "1.3.0", cancellationToken: Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.PreviewEmergencyRollbackAsync(Olga, failed.Id, Token));

        Assert.Contains("was changed by another run after run run-failed-dev", refused.Message);
        Assert.Empty(portal.Queue.Enqueued);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.RunId == failed.Id);
    }

    [Fact]
    public async Task A_failed_run_that_left_nothing_applied_offers_no_emergency_rollback()
    {
        var failed = await FailedRunLeftAppliedAsync();
        await new EngineHarness(portal.Registry).MigrateAsync(portal.Targets.Get("dev"), "1.2.0", cancellationToken: Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.PreviewEmergencyRollbackAsync(Olga, failed.Id, Token));

        Assert.Contains("where run run-failed-dev started: no migration of that run is left to undo", refused.Message);
    }

    [Fact]
    public async Task On_Production_an_emergency_rollback_needs_the_targets_name_typed()
    {
        var failed = await FailedRunLeftAppliedAsync("production");
        var request = new EmergencyRollbackRequest("validation failed on risk_metrics; undo now", "no backup: the backup job itself failed");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.EmergencyRollbackAsync(Olga, failed.Id, request, Token));
        Assert.Contains("type the name of the target, production", refused.Message);

        var emergency = await portal.Runs.EmergencyRollbackAsync(Olga, failed.Id, request with { TypedTargetName = "production" }, Token);
        Assert.Equal(RunState.Queued, emergency.State);
    }

    private static async Task ChangeByHandAsync(IMigrationTarget target, IMigrationStep step)
    {
        var reporter = new StepReporter(new RecordingProgress(), TimeProvider.System, "manual", "up", 1, 1);
        await target.ExecuteStepAsync(step, step.Apply(await target.ReadCatalogAsync(Token)), new StepExecution("by-hand", "by-hand", reporter, new BatchOptions()), Token);
    }
}
