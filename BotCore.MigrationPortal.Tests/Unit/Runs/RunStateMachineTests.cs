using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

public sealed class RunStateMachineTests
{
    private static readonly DateTime At = new(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>Every transition DESIGN.md's lifecycle allows; nothing else is.</summary>
    public static readonly TheoryData<RunState, RunState> Legal = new()
    {
        { RunState.Draft, RunState.PreChecks }, { RunState.Draft, RunState.Cancelled },
        { RunState.PreChecks, RunState.AwaitingApproval }, { RunState.PreChecks, RunState.Cancelled },
        { RunState.AwaitingApproval, RunState.Approved }, { RunState.AwaitingApproval, RunState.PreChecks }, { RunState.AwaitingApproval, RunState.Cancelled },
        { RunState.Approved, RunState.Queued }, { RunState.Approved, RunState.PreChecks }, { RunState.Approved, RunState.Cancelled },
        { RunState.Queued, RunState.Running }, { RunState.Queued, RunState.NotStarted }, { RunState.Queued, RunState.Cancelled },
        { RunState.NotStarted, RunState.Queued }, { RunState.NotStarted, RunState.PreChecks }, { RunState.NotStarted, RunState.Cancelled },
        { RunState.Running, RunState.Validating }, { RunState.Running, RunState.Failed }, { RunState.Running, RunState.RollingBack },
        { RunState.Running, RunState.NotStarted },
        { RunState.Validating, RunState.Succeeded }, { RunState.Validating, RunState.Failed }, { RunState.Validating, RunState.RollingBack },
        { RunState.Failed, RunState.RollingBack },
        { RunState.RollingBack, RunState.RolledBack }, { RunState.RollingBack, RunState.RollbackFailed }, { RunState.RollingBack, RunState.Cancelled },
    };

    public static TheoryData<RunState, RunState> Illegal
    {
        get
        {
            var legal = Legal.Select(row => (row.Data.Item1, row.Data.Item2)).ToHashSet();
            var data = new TheoryData<RunState, RunState>();
            foreach (var from in Enum.GetValues<RunState>())
            {
                // PreChecks → Queued is allowed for emergency rollbacks only; its own test covers it.
                foreach (var to in Enum.GetValues<RunState>().Where(to => !legal.Contains((from, to)) && (from, to) != (RunState.PreChecks, RunState.Queued)))
                {
                    data.Add(from, to);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Legal))]
    public void A_legal_transition_changes_the_state_and_records_who_when_and_why(RunState from, RunState to)
    {
        var moved = RunStateMachine.Move(Run(from), to, "olga", "because", At);

        Assert.Equal(to, moved.State);
        Assert.Equal(new StateTransition(from, to, At, "olga", "because"), Assert.Single(moved.Transitions));
        Assert.Equal(At, moved.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(Illegal))]
    public void An_illegal_transition_is_refused_with_where_the_run_is_and_where_it_may_go(RunState from, RunState to)
    {
        var refused = Assert.Throws<ActionRefusedException>(() => RunStateMachine.Move(Run(from), to, "olga", "because", At));

        Assert.Contains("run-x", refused.Message);
        Assert.Contains($"“{from.DisplayName()}”", refused.Message);
    }

    [Fact]
    public void A_refusal_names_the_states_in_plain_words()
    {
        var refused = Assert.Throws<ActionRefusedException>(() => RunStateMachine.Move(Run(RunState.AwaitingApproval), RunState.Running, "olga", "go", At));

        Assert.Equal("Run run-x is awaiting approval; it cannot move to “Running”. From “Awaiting approval” it can only move to “Approved” or “Pre-checks” or “Cancelled”.",
            refused.Message);
    }

    [Fact]
    public void Only_an_emergency_rollback_goes_from_pre_checks_to_queued_without_approval()
    {
        var refused = Assert.Throws<ActionRefusedException>(() => RunStateMachine.Move(Run(RunState.PreChecks), RunState.Queued, "olga", "run", At));
        Assert.Contains("has not been approved", refused.Message);

        var emergency = RunStateMachine.Move(Run(RunState.PreChecks) with { Kind = RunKind.EmergencyRollback }, RunState.Queued, "olga", "run", At);
        Assert.Equal(RunState.Queued, emergency.State);
    }

    [Theory]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.RolledBack)]
    [InlineData(RunState.RollbackFailed)]
    [InlineData(RunState.Cancelled)]
    public void A_finished_run_says_nothing_can_change_it(RunState finished)
    {
        var refused = Assert.Throws<ActionRefusedException>(() => RunStateMachine.Move(Run(finished), RunState.PreChecks, "olga", "again", At));

        Assert.Contains("has ended", refused.Message);
        Assert.True(RunStateMachine.IsFinished(finished));
    }

    private static MigrationRun Run(RunState state) => new()
    {
        Id = "run-x", Target = "dev", Tier = TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"),
        Checksums = [], RequestedBy = "olga", State = state,
    };

    [Theory]
    [InlineData(RunState.Draft, true)]
    [InlineData(RunState.AwaitingApproval, true)]
    [InlineData(RunState.Queued, true)]
    [InlineData(RunState.NotStarted, true)]
    [InlineData(RunState.Running, true)]
    [InlineData(RunState.RollingBack, true)]
    [InlineData(RunState.Failed, false)]
    [InlineData(RunState.Succeeded, false)]
    [InlineData(RunState.Cancelled, false)]
    [InlineData(RunState.RollbackFailed, false)]
    public void A_run_is_open_while_it_is_on_its_way_and_a_failed_one_waits_for_a_person_without_holding_its_target(RunState state, bool open)
    {
        Assert.Equal(open, RunStateMachine.IsOpen(state));
        Assert.Equal(open ? "dev" : null, Run(state).OpenOnTarget);
    }
}
