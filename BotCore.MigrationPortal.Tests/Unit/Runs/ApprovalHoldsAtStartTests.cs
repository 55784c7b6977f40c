using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// Four eyes after the approval: the Approver may not then prepare the run, and an approval holds at the start only while
/// its Approver, read from the store then, is still an enabled Approver who prepared nothing of the run.
/// </summary>
public sealed class ApprovalHoldsAtStartTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    /// <summary>A run on dev prepared by Olga and approved by Bob.</summary>
    private async Task<MigrationRun> ApprovedByBobAsync()
    {
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0");
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        return await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);
    }

    [Fact]
    public async Task The_Approver_may_not_take_the_backup_of_the_run_they_approved()
    {
        var run = await ApprovedByBobAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.BackUpAsync(Bob, run.Id, run.Revision, Token));

        Assert.Contains("Four eyes: bob approved run", refused.Message);
        Assert.DoesNotContain(portal.Queue.Backups, b => b.By.Name == "bob");
        Assert.DoesNotContain(RunAction.BackUp, RunRules.Allowed(run, Bob));
        Assert.Contains(RunAction.BackUp, RunRules.Allowed(run, Alice));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == "bob" && r.RunId == run.Id);
    }

    [Fact]
    public async Task The_Approver_may_not_tick_an_item_of_the_run_they_approved()
    {
        var run = await ApprovedByBobAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.TickAsync(Bob, run.Id, ChecklistTemplate.MaintenanceWindow, null, run.Revision, Token));

        Assert.Contains("Four eyes: bob approved run", refused.Message);
        Assert.Equal(ItemStatus.Open, (await portal.Runs.GetAsync(run.Id, Token)).Item(ChecklistTemplate.MaintenanceWindow)!.Status);
        Assert.True(RunRules.CheckTick(run, ChecklistTemplate.MaintenanceWindow, Alice).Allowed);
    }

    [Fact]
    public async Task An_approval_whose_Approver_prepared_the_run_afterwards_is_voided_at_the_start()
    {
        var run = await ApprovedByBobAsync();
        // Ticked through some other door, or before the portal refused it: what is stored is what counts.
        run = await portal.Repository.SaveAsync(run, run.WithItem(run.Item(ChecklistTemplate.MaintenanceWindow)! with
        {
            Status = ItemStatus.Ticked, By = "bob", At = DateTime.UtcNow,
        }), "bob ticked an item", Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains("approval by bob is void", refused.Message);
        Assert.Contains("bob, who approved it, ticked 'Scheduled maintenance window (if needed)'", refused.Message);
        AssertVoided(await portal.Runs.GetAsync(run.Id, Token), "ticked");
    }

    [Theory]
    [InlineData(Role.Operator, false, "bob is no longer an Approver (now Operator)")]
    [InlineData(Role.Approver, true, "bob is no longer an enabled user")]
    public async Task An_approval_whose_Approver_was_demoted_or_disabled_since_is_voided_at_the_start(Role role, bool disabled, string why)
    {
        var run = await ApprovedByBobAsync();
        await portal.Users.ReplaceAsync(Bob.User with { Role = role, Disabled = disabled }, Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains(why, refused.Message);
        AssertVoided(await portal.Runs.GetAsync(run.Id, Token), why);
    }

    [Fact]
    public async Task An_approval_whose_Approver_is_now_an_Admin_still_holds()
    {
        var run = await ApprovedByBobAsync();
        await portal.Users.ReplaceAsync(Bob.User with { Role = Role.Admin }, Token);

        var queued = await portal.Runs.StartAsync(Olga, run.Id, run.Revision, Token);

        Assert.Equal(RunState.Queued, queued.State);
        Assert.Equal([run.Id], portal.Queue.Enqueued);
    }

    private void AssertVoided(MigrationRun run, string why)
    {
        Assert.Equal(RunState.PreChecks, run.State);
        Assert.Null(run.Approval);
        Assert.Contains(why, run.ApprovalVoided);
        Assert.Empty(portal.Queue.Enqueued);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ApprovalVoided && r.RunId == run.Id);
    }
}
