using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Guidance;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// What the run page leads with, for the states the page tests do not reach through the workflow (they cover pre-checks, awaiting
/// approval, succeeded and failed runs made by the run service): a scheduled run, a sent-back run, a cancelled one, a failed rollback.
/// </summary>
public sealed class RunGuideTests
{
    private static readonly DateTime At = new(2026, 12, 2, 9, 30, 0, DateTimeKind.Utc);

    private static MigrationRun Run(RunState state, RunKind kind = RunKind.Migration, TargetTier tier = TargetTier.Development) => new()
    {
        Id = "run-x", Target = "dev", Tier = tier, From = SchemaVersion.Parse("1.1.0"), To = SchemaVersion.Parse("1.2.0"), Kind = kind,
        Checksums = [], RequestedBy = "olga", State = state, Checklist = ChecklistTemplate.NewChecklist(kind),
    };

    private static MigrationRun Settled(MigrationRun run, ItemPhase phase) => run.Checklist
        .Where(i => ChecklistTemplate.Get(i.ItemId).Phase == phase)
        .Aggregate(run, (r, i) => r.WithItem(i with { Status = ItemStatus.Passed }));

    [Fact]
    public void A_scheduled_run_needs_nobody_and_says_when_it_starts()
    {
        var run = Run(RunState.Approved) with
        {
            Approval = new Approval("bob", At, []), Schedule = new RunSchedule(At.AddHours(3), "olga", At, "17"),
        };

        var guide = RunGuide.For(run);

        Assert.Equal("Approved by bob; scheduled to start at 2026-12-02 12:30 UTC.", guide.Headline);
        Assert.StartsWith("Nobody: it starts by itself at 2026-12-02 12:30 UTC.", guide.NextActor);
        Assert.Empty(guide.ToDo);
    }

    [Fact]
    public void An_approved_Production_run_asks_an_Operator_to_run_or_schedule_it_typing_the_name()
    {
        var guide = RunGuide.For(Run(RunState.Approved, tier: TargetTier.Production) with { Approval = new Approval("bob", At, []) });

        Assert.Equal("Approved by bob; ready to run.", guide.Headline);
        Assert.Contains("typing the target's name", guide.NextActor);
        Assert.Equal(["Run it, or schedule it"], guide.ToDo.Select(t => t.Text));
        Assert.Equal(RunAnchors.Actions, guide.ToDo[0].Anchor);
    }

    [Fact]
    public void A_sent_back_run_names_who_it_went_back_to_and_opens_the_history_where_the_reason_is()
    {
        var run = Settled(Run(RunState.PreChecks), ItemPhase.BeforeApproval) with { SentBack = new SentBack("bob", At, "measure the index build", "olga") };

        var guide = RunGuide.For(run);

        Assert.Equal("Sent back by bob. Ready for approval: every required item is settled.", guide.Headline);
        Assert.StartsWith("olga, to whom it was sent back", guide.NextActor);
        Assert.Contains(RunSection.History, guide.Open);
    }

    [Fact]
    public void A_missing_backup_is_one_thing_to_do_not_two_and_each_item_points_at_its_row()
    {
        var run = Run(RunState.PreChecks);
        run = run.WithItem(run.Item(ChecklistTemplate.Backup)! with { Status = ItemStatus.Failed })
            .WithItem(run.Item(ChecklistTemplate.BackupVerified)! with { Status = ItemStatus.Failed });
        run = run.Checklist.Where(i => i.ItemId is not (ChecklistTemplate.Backup or ChecklistTemplate.BackupVerified or ChecklistTemplate.PerformanceReview))
            .Aggregate(run, (r, i) => r.WithItem(i with { Status = ItemStatus.Passed }));

        var guide = RunGuide.For(run);

        Assert.Equal(["Tick “Reviewed migration for performance impact”", "Back up (“Created full database backup”)", "Request approval"],
            guide.ToDo.Select(t => t.Text));
        Assert.Equal(["item-pre-performance", "item-pre-backup", RunAnchors.Actions], guide.ToDo.Select(t => t.Anchor));
        Assert.Equal("Getting ready: 2 required items left before approval can be requested.", guide.Headline);
        Assert.Contains(RunSection.Checklist, guide.Open);
        Assert.DoesNotContain(RunSection.Progress, guide.Open);
    }

    [Fact]
    public void A_blocking_pre_migration_check_points_at_the_pre_checks_table_and_opens_it()
    {
        var run = Settled(Run(RunState.PreChecks), ItemPhase.BeforeApproval);
        run = run.WithItem(run.Item(ChecklistTemplate.PreValidation)! with { Status = ItemStatus.Failed });

        var guide = RunGuide.For(run);

        Assert.Equal(RunAnchors.Section(RunSection.PreChecks), guide.ToDo[0].Anchor);
        Assert.Contains(RunSection.PreChecks, guide.Open);
    }

    [Fact]
    public void An_emergency_rollback_needs_no_approval_and_its_last_step_is_to_run_it()
    {
        var guide = RunGuide.For(Settled(Run(RunState.PreChecks, RunKind.EmergencyRollback), ItemPhase.BeforeApproval));

        Assert.Equal("Ready to run: it needs no approval (emergency rollback).", guide.Headline);
        Assert.Equal("An Operator: run it.", guide.NextActor);
        Assert.Equal(["Run it"], guide.ToDo.Select(t => t.Text));
    }

    [Fact]
    public void A_run_cancelled_before_it_started_changed_nothing()
    {
        var run = Run(RunState.Cancelled) with
        {
            CancelRequestedBy = null,
            Transitions = [new StateTransition(RunState.PreChecks, RunState.Cancelled, At, "alice", "cancelled")],
        };

        var guide = RunGuide.For(run);
        var ending = RunEnding.Of(run, null)!;

        Assert.Equal("Cancelled by alice before it started: nothing was changed.", guide.Headline);
        Assert.Equal("Nobody: the run is over.", guide.NextActor);
        Assert.Equal(("alice", "at 1.1.0 (nothing was changed)"), (ending.Who, ending.VersionNow));
    }

    [Fact]
    public void A_run_cancelled_while_running_says_who_what_was_undone_and_where_the_target_is()
    {
        var plan = new EngineHarness().Planner.Plan(SchemaVersion.Parse("1.1.0"), SchemaVersion.Parse("1.2.0"));
        var run = Run(RunState.Cancelled) with
        {
            StartedAt = At, FinishedAt = At.AddSeconds(75), CancelRequestedBy = "olga", LeftAt = SchemaVersion.Parse("1.1.0"),
            Transitions = [new StateTransition(RunState.RollingBack, RunState.Cancelled, At.AddSeconds(75), "olga", "cancelled and rolled back")],
        };
        static Engine.Running.RunEvent Step(Engine.Running.RunEventKind kind, int number, string direction) =>
            new(At, kind, "") { Version = "1.2.0", Direction = direction, StepIndex = number };
        var progress = RunProgress.Build(plan,
        [
            Step(Engine.Running.RunEventKind.StepStarted, 1, "up"), Step(Engine.Running.RunEventKind.StepFinished, 1, "up"),
            Step(Engine.Running.RunEventKind.StepStarted, 2, "up"), Step(Engine.Running.RunEventKind.StepFailed, 2, "up"),
            Step(Engine.Running.RunEventKind.StepFinished, 1, "rollback"),
        ]);

        var ending = RunEnding.Of(run, progress)!;

        Assert.Equal(TimeSpan.FromSeconds(75), ending.Duration);
        Assert.Equal(("olga", "cancelled and rolled back", "at 1.1.0"), (ending.Who, ending.Why, ending.VersionNow));
        Assert.Equal([$"1.2.0 up step 1: {plan.Migrations[0].Steps[0].Step.Description}"], ending.Undone);
        Assert.Equal("Cancelled by olga and rolled back: dev is at 1.1.0.", RunGuide.For(run).Headline);
    }

    [Fact]
    public void A_failed_rollback_points_at_restoring_from_the_backup_and_asks_for_a_DBA()
    {
        var run = Run(RunState.RollbackFailed, RunKind.Rollback) with { RollbackOf = "run-0", StartedAt = At, FinishedAt = At.AddMinutes(1), Error = "the catalog differs" };

        var guide = RunGuide.For(run);

        Assert.Equal("Rollback failed: dev is at an unknown version (check it with drift). Manual intervention is required.", guide.Headline);
        Assert.StartsWith("A DBA", guide.NextActor);
        Assert.Equal(["Restore from the backup if the target cannot be repaired"], guide.ToDo.Select(t => t.Text));
        Assert.Equal(RunAnchors.Item(ChecklistTemplate.RestoredFromBackup), guide.ToDo[0].Anchor);
        Assert.Contains(RunSection.Checklist, guide.Open);
    }

    [Theory]
    [InlineData(RunState.RolledBack)]
    [InlineData(RunState.Failed)]
    public void A_rollback_run_that_did_not_bring_the_target_back_asks_for_the_restore_wherever_the_rule_offers_it(RunState state)
    {
        var run = Run(state, RunKind.Rollback) with { RollbackOf = "run-0", StartedAt = At, FinishedAt = At.AddMinutes(1), Error = "the step failed" };

        var guide = RunGuide.For(run);

        Assert.True(RunBackupRules.RestoreDue(run).Allowed);
        Assert.Equal(["Restore from the backup if the target cannot be repaired"], guide.ToDo.Select(t => t.Text));
        Assert.StartsWith("A DBA: check the target with drift; if it cannot be repaired, an Approver or Admin restores it", guide.NextActor);
    }

    [Fact]
    public void Once_the_restore_passed_it_is_no_longer_asked_for()
    {
        var run = Run(RunState.RolledBack, RunKind.Rollback) with { RollbackOf = "run-0", StartedAt = At, FinishedAt = At.AddMinutes(1) };
        run = run.WithItem(run.Item(ChecklistTemplate.RestoredFromBackup)! with { Status = ItemStatus.Passed, Evidence = "restored" });

        Assert.DoesNotContain(RunGuide.For(run).ToDo, t => t.Text.StartsWith("Restore", StringComparison.Ordinal));
    }

    [Fact]
    public void Items_whose_time_has_not_come_and_items_settled_in_a_phase_the_run_left_are_folded()
    {
        var before = Run(RunState.PreChecks);
        var after = Settled(Settled(Run(RunState.Succeeded) with { StartedAt = At, FinishedAt = At }, ItemPhase.BeforeApproval), ItemPhase.DuringRun);

        Assert.True(RunGuide.IsFolded(before, before.Item(ChecklistTemplate.Executed)!));
        Assert.True(RunGuide.IsFolded(before, before.Item(ChecklistTemplate.CriticalFunctions)!));
        Assert.False(RunGuide.IsFolded(before, before.Item(ChecklistTemplate.Backup)!));
        Assert.True(RunGuide.IsFolded(after, after.Item(ChecklistTemplate.Backup)!));
        Assert.True(RunGuide.IsFolded(after, after.Item(ChecklistTemplate.Executed)!));
        Assert.False(RunGuide.IsFolded(after, after.Item(ChecklistTemplate.CriticalFunctions)!));
    }
}
