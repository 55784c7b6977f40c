using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Inbox;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>"Waiting for me": the runs a person may approve (the four-eyes rule of the run page), and the runs sent back to her.</summary>
public sealed class RunInboxTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private RunInbox Inbox => portal.Services.GetRequiredService<RunInbox>();

    public void Dispose() => portal.Dispose();

    private async Task<IReadOnlyList<string>> WaitingForAsync(Actor actor) => (await Inbox.ForAsync(actor, Token)).Select(e => $"{e.Run.Id} {e.Reason}").ToList();

    private async Task<MigrationRun> AwaitingApprovalAsync(string target, TestPerson requester)
    {
        var run = await portal.ReadyForApprovalAsync(target, "1.1.0", requester);
        return await portal.Runs.RequestApprovalAsync(requester, run.Id, run.Revision, Token);
    }

    [Fact]
    public async Task A_run_awaiting_approval_waits_for_every_Approver_who_did_not_prepare_it()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);

        var entry = Assert.Single(await Inbox.ForAsync(Bob, Token));

        Assert.Equal((run.Id, InboxReason.YourApproval, "olga", run.ApprovalRequest()!.At, null), (entry.Run.Id, entry.Reason, entry.AskedBy, entry.AskedAt, entry.Note));
        Assert.Equal([$"{run.Id} YourApproval"], await WaitingForAsync(Alice));
        Assert.Equal([$"{run.Id} YourApproval"], await WaitingForAsync(Ada));
        Assert.Empty(await WaitingForAsync(Olga));
        Assert.Empty(await WaitingForAsync(Victor));
    }

    [Fact]
    public async Task An_Approver_who_took_the_runs_backup_is_a_preparer_and_it_does_not_wait_for_her()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0", Olga);
        run = await portal.BackUpAsync(run, Alice);
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);

        Assert.Empty(await WaitingForAsync(Alice));
        Assert.Equal([$"{run.Id} YourApproval"], await WaitingForAsync(Bob));
        Assert.False(RunRules.Check(RunAction.Approve, run, Alice).Allowed);
    }

    [Fact]
    public async Task A_run_sent_back_waits_for_whoever_asked_with_the_reason_and_no_longer_for_the_Approvers()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);
        run = await portal.Runs.SendBackAsync(Bob, run.Id, "tick the maintenance window first", run.Revision, Token);

        var entry = Assert.Single(await Inbox.ForAsync(Olga, Token));

        Assert.Equal((InboxReason.SentBackToYou, "bob", run.SentBack!.At, "tick the maintenance window first"), (entry.Reason, entry.AskedBy, entry.AskedAt, entry.Note));
        Assert.Empty(await WaitingForAsync(Bob));
        Assert.Empty(await WaitingForAsync(Alice));
    }

    [Fact]
    public async Task Asking_again_takes_a_sent_back_run_out_of_her_list_and_into_the_Approvers_lists()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);
        run = await portal.Runs.SendBackAsync(Bob, run.Id, "tick the maintenance window first", run.Revision, Token);

        await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);

        Assert.Empty(await WaitingForAsync(Olga));
        Assert.Equal([$"{run.Id} YourApproval"], await WaitingForAsync(Bob));
    }

    [Fact]
    public async Task A_cancelled_run_waits_for_nobody()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);
        run = await portal.Runs.SendBackAsync(Bob, run.Id, "tick the maintenance window first", run.Revision, Token);

        await portal.Runs.CancelAsync(Olga, run.Id, run.Revision, Token);

        foreach (var person in TestPeople.All) Assert.Empty(await WaitingForAsync(person));
    }

    [Fact]
    public async Task Several_runs_are_listed_the_longest_waiting_first()
    {
        var first = await AwaitingApprovalAsync("dev", Olga);
        var second = await AwaitingApprovalAsync("staging", Olga);

        Assert.Equal([$"{first.Id} YourApproval", $"{second.Id} YourApproval"], await WaitingForAsync(Bob));
    }
}
