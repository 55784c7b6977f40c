using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>Blocking drift accepted by an Admin in writing, bound to exactly those differences: shown, audited, and void once they change.</summary>
public sealed class DriftAcceptanceTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task An_Admin_accepts_the_drift_for_one_run_and_a_new_difference_voids_the_acceptance_and_the_approval()
    {
        var dev = portal.Targets.Get("dev");
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(dev, "1.0.0", cancellationToken: Token)).Succeeded);
        await DropIndexAsync("trades", "idx_trades_ttl");
        var run = await portal.ReadyForApprovalAsync("dev", "1.1.0");
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.NoDrift)!.Status);
        Assert.Contains(RunAction.AcceptDrift, RunRules.Allowed(run, Ada));
        Assert.DoesNotContain(RunAction.AcceptDrift, RunRules.Allowed(run, Alice));
        await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.AcceptDriftAsync(Olga, run.Id, "the nightly job rebuilds it", run.Revision, Token));

        run = await portal.Runs.AcceptDriftAsync(Ada, run.Id, "the nightly job rebuilds the TTL index", run.Revision, Token);

        Assert.Equal(ItemStatus.Overridden, run.Item(ChecklistTemplate.NoDrift)!.Status);
        Assert.Contains("idx_trades_ttl", Assert.Single(run.DriftAcceptance!.Differences));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.DriftAccepted && r.User == "ada" && r.Details.Contains("nightly job"));
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: false, Token);

        // Someone drops another index of the migrations': what was accepted no longer describes the target.
        await DropIndexAsync("users", "idx_users_email_unique");
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Olga, run.Id, run.Revision, Token));

        Assert.Contains("is void", refused.Message);
        run = await portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((RunState.PreChecks, null), (run.State, run.Approval));
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.NoDrift)!.Status);
        Assert.Contains("has changed, so the acceptance no longer holds", run.Item(ChecklistTemplate.NoDrift)!.Evidence);
    }

    private Task DropIndexAsync(string collection, string index) => ByHand.DropIndexAsync(portal.Targets.Get("dev"), collection, index, Token);
}
