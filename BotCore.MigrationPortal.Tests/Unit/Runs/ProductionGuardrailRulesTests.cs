using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>The rules behind the Production guardrails: the target's name typed, the schedule's time, and what a schedule allows.</summary>
public sealed class ProductionGuardrailRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    private static MigrationRun Run(TargetTier tier = TargetTier.Production, RunState state = RunState.Approved, RunSchedule? schedule = null) => new()
    {
        Id = "run-1", Target = tier == TargetTier.Production ? "production" : "dev", Tier = tier, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"),
        Checksums = [], RequestedBy = "olga", State = state, Schedule = schedule, Checklist = ChecklistTemplate.NewChecklist(RunKind.Migration),
        Approval = state == RunState.Approved ? new Approval("bob", Now, []) : null,
    };

    private static RunSchedule At(DateTime at) => new(at, "olga", Now, "job-7");

    [Theory]
    [InlineData(TargetTier.Production, true)]
    [InlineData(TargetTier.Staging, false)]
    [InlineData(TargetTier.Development, false)]
    public void Only_Production_needs_the_name_typed_and_the_command_line_asks_the_same(TargetTier tier, bool required) =>
        Assert.Equal(required, TargetNameConfirmation.RequiredFor(tier));

    [Theory]
    [InlineData("production", true)]
    [InlineData("  production ", true)]
    [InlineData("Production", false)]
    [InlineData("prod", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_name_must_be_typed_exactly(string? typed, bool matches) => Assert.Equal(matches, TargetNameConfirmation.Matches("production", typed));

    [Theory]
    [InlineData(RunAction.ApproveAndRun, true)]
    [InlineData(RunAction.Start, true)]
    [InlineData(RunAction.Schedule, true)]
    [InlineData(RunAction.Reschedule, true)]
    [InlineData(RunAction.EmergencyRollback, true)]
    [InlineData(RunAction.Approve, false)]
    [InlineData(RunAction.CancelSchedule, false)]
    [InlineData(RunAction.Cancel, false)]
    public void What_starts_a_change_on_Production_needs_the_name_and_nothing_does_elsewhere(RunAction action, bool needed)
    {
        Assert.Equal(needed, RunRules.NeedsTargetName(action, Run()));
        Assert.False(RunRules.NeedsTargetName(action, Run(TargetTier.Staging)));
        Assert.Equal(!needed, RunRules.CheckTargetName(action, Run(), typed: null).Allowed);
        Assert.True(RunRules.CheckTargetName(action, Run(), "production").Allowed);
        Assert.True(RunRules.CheckTargetName(action, Run(TargetTier.Development), typed: null).Allowed);
    }

    [Fact]
    public void A_refusal_says_what_to_type_and_what_it_confirms()
    {
        Assert.Equal("Not started: type the name of the target, production, to confirm that run run-1 is approved and starts on Production.",
            RunRules.CheckTargetName(RunAction.ApproveAndRun, Run(), "prod").Refusal);
        Assert.Equal("Not scheduled: type the name of the target, production, to confirm that run run-1 is scheduled to start on Production.",
            RunRules.CheckTargetName(RunAction.Schedule, Run(), null).Refusal);
    }

    [Fact]
    public void A_schedule_is_in_the_future_and_within_30_days()
    {
        Assert.True(RunRules.CheckScheduleTime(Now.AddMinutes(1), Now).Allowed);
        Assert.True(RunRules.CheckScheduleTime(Now.AddDays(30), Now).Allowed);
        Assert.Contains("has passed", RunRules.CheckScheduleTime(Now, Now).Refusal);
        Assert.Contains("more than 30 days ahead", RunRules.CheckScheduleTime(Now.AddDays(30).AddMinutes(1), Now).Refusal);
    }

    [Fact]
    public void Only_an_approved_run_is_scheduled_and_a_scheduled_one_is_moved_or_cancelled_not_started_now()
    {
        Actor olga = TestPeople.Olga;
        Assert.Equal([RunAction.Start, RunAction.Schedule], Scheduling(RunRules.Allowed(Run(), olga)));
        Assert.Equal([RunAction.Reschedule, RunAction.CancelSchedule], Scheduling(RunRules.Allowed(Run(schedule: At(Now.AddHours(2))), olga)));
        Assert.Contains("cancel the schedule to run it now", RunRules.Check(RunAction.Start, Run(schedule: At(Now.AddHours(2))), olga).Refusal);
        Assert.Contains("only an approved run is scheduled", RunRules.Check(RunAction.Schedule, Run(state: RunState.AwaitingApproval), olga).Refusal);
        // Its approval voided meanwhile: the schedule can only be cancelled.
        Assert.Equal([RunAction.CancelSchedule], Scheduling(RunRules.Allowed(Run(state: RunState.PreChecks, schedule: At(Now.AddHours(2))), olga)));
        Assert.Contains("(Viewer) may not schedule runs", RunRules.Check(RunAction.Schedule, Run(), TestPeople.Victor).Refusal);
        Assert.Contains("(Viewer) may not cancel schedules", RunRules.Check(RunAction.CancelSchedule, Run(schedule: At(Now.AddHours(2))), TestPeople.Victor).Refusal);
    }

    [Fact]
    public void A_scheduled_run_is_not_approved_and_run_at_once()
    {
        var waiting = Run(state: RunState.AwaitingApproval, schedule: At(Now.AddHours(2)));
        Assert.True(RunRules.Check(RunAction.Approve, waiting, TestPeople.Alice).Allowed);
        Assert.Contains("cancel the schedule to run it now", RunRules.Check(RunAction.ApproveAndRun, waiting, TestPeople.Alice).Refusal);
    }

    [Fact]
    public void The_schedule_settles_the_maintenance_window_item_and_cancelling_it_opens_the_item_again_but_a_person_s_tick_stays()
    {
        var schedule = At(Now.AddHours(2));
        var scheduled = MaintenanceWindowItem.Scheduled(Run(), schedule);
        Assert.Equal((ItemStatus.Passed, schedule.Evidence, "olga"), Item(scheduled));
        Assert.Contains("is settled by the portal", RunRules.CheckTick(scheduled, ChecklistTemplate.MaintenanceWindow, TestPeople.Alice).Refusal);
        Assert.Equal((ItemStatus.Open, null, null), Item(MaintenanceWindowItem.Unscheduled(scheduled)));

        var ticked = Run().WithItem(new ChecklistItemState { ItemId = ChecklistTemplate.MaintenanceWindow, Status = ItemStatus.Ticked, By = "alice", Comment = "Sunday 02:00" });
        Assert.Equal((ItemStatus.Ticked, null, "alice"), Item(MaintenanceWindowItem.Scheduled(ticked, schedule)));
        Assert.Equal((ItemStatus.Ticked, null, "alice"), Item(MaintenanceWindowItem.Unscheduled(MaintenanceWindowItem.Scheduled(ticked, schedule))));
    }

    private static (ItemStatus, string?, string?) Item(MigrationRun run) =>
        run.Item(ChecklistTemplate.MaintenanceWindow) is { } item ? (item.Status, item.Evidence, item.By) : default;

    private static RunAction[] Scheduling(IReadOnlySet<RunAction> allowed) =>
        allowed.Where(a => a is RunAction.Start or RunAction.Schedule or RunAction.Reschedule or RunAction.CancelSchedule).Order().ToArray();
}
