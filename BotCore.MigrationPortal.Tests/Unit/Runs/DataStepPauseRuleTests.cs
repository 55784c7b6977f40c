using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>Who may pause and resume a running run's data step, and when: the rule beside Cancel's that buttons, service and API all ask.</summary>
public sealed class DataStepPauseRuleTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Olga = new("olga", Role.Operator);

    private static MigrationRun Run(RunState state = RunState.Running, DataStepPause? pause = null, string? cancelledBy = null) => new()
    {
        Id = "run-1", Target = "dev", Tier = TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.1.0"), Checksums = [],
        RequestedBy = "olga", State = state, Pause = pause, CancelRequestedBy = cancelledBy,
    };

    private static readonly DataStepPause Reached = new("olga", Now, new PausePoint("1.1.0/up/7", 120, 120_000, 250_000, true, Now.AddSeconds(1)));

    [Theory]
    [InlineData(Role.Viewer, false)]
    [InlineData(Role.Operator, true)]
    [InlineData(Role.Approver, true)]
    [InlineData(Role.Admin, true)]
    public void An_Operator_and_above_may_pause_and_resume_as_they_may_cancel(Role role, bool allowed)
    {
        var actor = new Actor("someone", role);

        Assert.Equal(allowed, RunRules.Check(RunAction.Pause, Run(), actor).Allowed);
        Assert.Equal(allowed, RunRules.Check(RunAction.Resume, Run(pause: Reached), actor).Allowed);
        Assert.Equal(allowed, RunRules.Check(RunAction.Cancel, Run(), actor).Allowed);
        if (!allowed) Assert.Equal("someone (Viewer) may not pause runs: it needs the Operator role.", RunRules.Check(RunAction.Pause, Run(), actor).Refusal);
    }

    [Theory]
    [InlineData(RunState.Queued)]
    [InlineData(RunState.Validating)]
    [InlineData(RunState.RollingBack)]
    [InlineData(RunState.Succeeded)]
    public void Only_a_running_run_is_paused_or_resumed(RunState state)
    {
        var pause = RunRules.Check(RunAction.Pause, Run(state), Olga);
        var resume = RunRules.Check(RunAction.Resume, Run(state, Reached), Olga);

        Assert.False(pause.Allowed);
        Assert.StartsWith($"Run run-1 is {state.InSentence()}: only a running run's data step is paused", pause.Refusal);
        Assert.False(resume.Allowed);
    }

    [Fact]
    public void A_paused_run_is_resumed_not_paused_again_and_a_run_that_is_not_paused_is_not_resumed()
    {
        Assert.Equal([RunAction.Cancel, RunAction.Comment, RunAction.Resume], RunRules.Allowed(Run(pause: Reached), Olga).Order());
        Assert.Equal([RunAction.Cancel, RunAction.Comment, RunAction.Pause], RunRules.Allowed(Run(), Olga).Order());
        Assert.Equal(
            "Run run-1 is paused already: Paused at 120,000/250,000 documents (simulated) by olga at 2026-12-02 10:00:01Z, after batch 120 of step 1.1.0/up/7. " +
            "The step's checkpoint is kept; Resume continues with the next batch.",
            RunRules.Check(RunAction.Pause, Run(pause: Reached), Olga).Refusal);
        Assert.Equal("Run run-1 is not paused: there is nothing to resume.", RunRules.Check(RunAction.Resume, Run(), Olga).Refusal);
    }

    [Fact]
    public void Cancel_wins_a_cancelled_run_is_not_paused_and_a_paused_run_may_be_cancelled()
    {
        Assert.Equal("alice has already asked to cancel run run-1; it stops at the next safe point, so there is nothing to pause.",
            RunRules.Check(RunAction.Pause, Run(cancelledBy: "alice"), Olga).Refusal);
        Assert.True(RunRules.Check(RunAction.Cancel, Run(pause: Reached), Olga).Allowed);
        Assert.False(RunPauseGate.Holds(Run(pause: Reached, cancelledBy: "alice")));
        Assert.True(RunPauseGate.Holds(Run(pause: Reached)));
        Assert.False(RunPauseGate.Holds(Run(RunState.RollingBack, Reached)));
    }

    [Fact]
    public void A_pause_not_yet_reached_says_where_it_will_stop()
    {
        Assert.Equal("olga asked to pause at 2026-12-02 10:00:00Z: the running data step stops at its next batch boundary.", new DataStepPause("olga", Now).Describe());
    }
}
