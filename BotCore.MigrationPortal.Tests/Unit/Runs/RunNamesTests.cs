using BotCore.MigrationPortal.Runs;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>States and kinds are named for people in one place; the stored enum names do not change.</summary>
public sealed class RunNamesTests
{
    [Theory]
    [InlineData(RunState.Draft, "Draft", "a draft")]
    [InlineData(RunState.PreChecks, "Pre-checks", "in pre-checks")]
    [InlineData(RunState.AwaitingApproval, "Awaiting approval", "awaiting approval")]
    [InlineData(RunState.Approved, "Approved", "approved")]
    [InlineData(RunState.Queued, "Queued", "queued")]
    [InlineData(RunState.NotStarted, "Not started", "not started")]
    [InlineData(RunState.Running, "Running", "running")]
    [InlineData(RunState.Validating, "Validating", "validating")]
    [InlineData(RunState.Succeeded, "Succeeded", "succeeded")]
    [InlineData(RunState.Failed, "Failed", "failed")]
    [InlineData(RunState.RollingBack, "Rolling back", "rolling back")]
    [InlineData(RunState.RolledBack, "Rolled back", "rolled back")]
    [InlineData(RunState.RollbackFailed, "Rollback failed", "rollback failed")]
    [InlineData(RunState.Cancelled, "Cancelled", "cancelled")]
    public void Every_state_has_plain_words(RunState state, string label, string inSentence)
    {
        Assert.Equal(label, state.DisplayName());
        Assert.Equal(inSentence, state.InSentence());
    }

    [Theory]
    [InlineData(RunKind.Migration, "Migration")]
    [InlineData(RunKind.Rollback, "Rollback")]
    [InlineData(RunKind.EmergencyRollback, "Emergency rollback")]
    [InlineData(RunKind.Baseline, "Adoption")]
    public void Every_kind_has_plain_words(RunKind kind, string label) => Assert.Equal(label, kind.DisplayName());

    [Fact]
    public void Every_state_and_kind_is_named() =>
        Assert.All([.. Enum.GetValues<RunState>().Select(s => s.DisplayName()), .. Enum.GetValues<RunKind>().Select(k => k.DisplayName())],
            name => Assert.DoesNotMatch("[a-z][A-Z]", name));
}
