using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>"Send back": an Approver returns a run awaiting approval to the person who asked, with a reason; she asks again.</summary>
public sealed class SendBackTests : IDisposable
{
    private const string Reason = "the performance review does not cover the 40M trades";
    private static readonly DateTime At = new(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    private async Task<MigrationRun> AwaitingApprovalAsync()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0");
        return await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
    }

    /// <summary>A run Olga created and asked approval for, in <paramref name="state"/>, for the pure rule.</summary>
    private static MigrationRun AskedBy(string person, RunState state) => new()
    {
        Id = "run-1", Target = "dev", Tier = TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.1.0"), Checksums = [],
        RequestedBy = person, State = state, Transitions = [new StateTransition(RunState.PreChecks, RunState.AwaitingApproval, At, person, "approval requested")],
    };

    [Theory]
    [InlineData(RunState.Draft)]
    [InlineData(RunState.PreChecks)]
    [InlineData(RunState.Approved)]
    [InlineData(RunState.Queued)]
    [InlineData(RunState.NotStarted)]
    [InlineData(RunState.Running)]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.Failed)]
    [InlineData(RunState.Cancelled)]
    public void Only_a_run_awaiting_approval_is_sent_back(RunState state)
    {
        Assert.True(RunRules.Check(RunAction.SendBack, AskedBy("olga", RunState.AwaitingApproval), Bob).Allowed);

        var refused = RunRules.Check(RunAction.SendBack, AskedBy("olga", state), Bob);

        Assert.Equal($"Run run-1 is {state.InSentence()}: only a run awaiting approval is sent back to the person who asked.", refused.Refusal);
    }

    [Fact]
    public void Whoever_may_approve_may_send_back_and_nobody_else()
    {
        var run = AskedBy("alice", RunState.AwaitingApproval);

        Assert.True(RunRules.Check(RunAction.SendBack, run, Bob).Allowed);
        Assert.True(RunRules.Check(RunAction.SendBack, run, Ada).Allowed);
        Assert.Equal("olga (Operator) may not send runs back: it needs the Approver role.", RunRules.Check(RunAction.SendBack, run, Olga).Refusal);
        Assert.Equal("victor (Viewer) may not send runs back: it needs the Approver role.", RunRules.Check(RunAction.SendBack, run, Victor).Refusal);
        Assert.Equal("Four eyes: alice created the run, requested approval on run run-1, so an Approver who did not prepare it must send it back.",
            RunRules.Check(RunAction.SendBack, run, Alice).Refusal);
    }

    [Fact]
    public async Task A_run_sent_back_returns_to_pre_checks_and_to_whoever_asked_with_the_reason_recorded_and_audited()
    {
        var run = await AwaitingApprovalAsync();

        var sent = await portal.Runs.SendBackAsync(Bob, run.Id, $"  {Reason}  ", run.Revision, Token);

        Assert.Equal(RunState.PreChecks, sent.State);
        Assert.Equal(("bob", Reason, "olga"), (sent.SentBack!.By, sent.SentBack.Reason, sent.SentBack.To));
        var transition = sent.Transitions[^1];
        Assert.Equal((RunState.AwaitingApproval, RunState.PreChecks, "bob", $"sent back to olga: {Reason}"),
            (transition.From, transition.To, transition.By, transition.Reason));
        var audited = Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.RunSentBack);
        Assert.Equal(("bob", "Approver", run.Id, "dev", $"sent back to olga: {Reason}"), (audited.User, audited.Role, audited.RunId, audited.Target, audited.Details));
        Assert.Equal(run.Revision + 1, sent.Revision);
    }

    [Fact]
    public async Task Sending_back_voids_nothing_else_and_whoever_asked_may_ask_again()
    {
        var run = await AwaitingApprovalAsync();

        var sent = await portal.Runs.SendBackAsync(Bob, run.Id, Reason, run.Revision, Token);

        Assert.Equal(run.Checklist, sent.Checklist);
        Assert.Equal(run.Checksums, sent.Checksums);
        Assert.Contains(RunAction.RequestApproval, RunRules.Allowed(sent, Olga));
        var again = await portal.Runs.RequestApprovalAsync(Olga, sent.Id, sent.Revision, Token);
        Assert.Equal(RunState.AwaitingApproval, again.State);
        Assert.Null(again.SentBack);
        Assert.Equal("approved", (await portal.Runs.ApproveAsync(Bob, again.Id, again.Revision, andRun: false, Token)).Transitions[^1].Reason);
    }

    [Theory]
    [InlineData("", "Write down why for sending a run back (at least 10 characters).")]
    [InlineData("   too short  ", "Write down why for sending a run back (at least 10 characters).")]
    [InlineData(null, "The reason for sending a run back has 2,001 characters; at most 2,000 are kept. Shorten it.")]
    public async Task A_send_back_without_a_reason_or_with_too_long_a_reason_is_refused_and_changes_nothing(string? reason, string message)
    {
        var run = await AwaitingApprovalAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.SendBackAsync(Bob, run.Id, reason ?? new string('x', FreeText.MaximumLength + 1), run.Revision, Token));

        Assert.Equal(message, refused.Message);
        var stored = await portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((RunState.AwaitingApproval, null, run.Revision), (stored.State, stored.SentBack, stored.Revision));
        Assert.DoesNotContain(portal.Audit.Records, r => r.Action == AuditActions.RunSentBack);
    }

    [Fact]
    public async Task A_send_back_from_a_stale_page_or_a_second_click_is_refused()
    {
        var run = await AwaitingApprovalAsync();
        await portal.Runs.SendBackAsync(Bob, run.Id, Reason, run.Revision, Token);

        var refused = await Assert.ThrowsAsync<ConflictRefusalException>(() => portal.Runs.SendBackAsync(Alice, run.Id, Reason, run.Revision, Token));

        Assert.StartsWith($"Run {run.Id} changed since your page showed it", refused.Message);
        Assert.Equal("bob", (await portal.Runs.GetAsync(run.Id, Token)).SentBack!.By);
    }

    [Fact]
    public async Task The_person_who_asked_may_not_send_her_own_run_back_and_the_refusal_is_audited()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0", Alice);
        run = await portal.Runs.RequestApprovalAsync(Alice, run.Id, run.Revision, Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.SendBackAsync(Alice, run.Id, Reason, run.Revision, Token));

        Assert.StartsWith("Four eyes: alice created the run", refused.Message);
        Assert.Equal(RunState.AwaitingApproval, (await portal.Runs.GetAsync(run.Id, Token)).State);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == "alice" && r.Details.StartsWith($"tried to send back run {run.Id}"));
    }

    [Fact]
    public async Task A_run_is_sent_back_to_whoever_asked_last_not_to_whoever_created_it()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.SendBackAsync(Bob, run.Id, Reason, run.Revision, Token);
        run = await portal.Runs.RequestApprovalAsync(Ada, run.Id, run.Revision, Token);

        var sent = await portal.Runs.SendBackAsync(Bob, run.Id, "still no word on the 40M trades", run.Revision, Token);

        Assert.Equal("ada", sent.SentBack!.To);
    }
}
