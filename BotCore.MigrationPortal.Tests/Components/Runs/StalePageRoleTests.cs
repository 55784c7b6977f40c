using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Adoption;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Components.Pages.Targets;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// The newer actions on a page opened while the person still had the role: her role is lowered in the store, then she clicks.
/// The service reads her from the store at the act, so the click is refused with the reason, nothing is changed and the
/// refusal is audited.
/// </summary>
public sealed class StalePageRoleTests : RunsPageContext
{
    [Fact]
    public async Task Creating_an_adoption_run_on_a_page_opened_while_an_Admin_is_refused_once_she_is_an_Operator()
    {
        SignIn(Ada);
        var page = RenderPage<AdoptTarget>(p => p.Add(x => x.Name, "legacy"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=adopt]")), Patience);
        await page.Find("textarea[data-testid=adopt-reason]").ChangeAsync(new() { Value = "built by the spec's scripts 1.0.0-1.2.0" });
        await LowerAsync(Ada, Role.Operator);

        await page.Find("[data-testid=adopt]").ClickAsync(new());

        WaitForSnackbar("ada (Operator) may not adopt databases");
        Assert.Null(await Portal.Store.LatestForTargetAsync("legacy", Token));
        AssertRefusalAudited("ada", "tried to adopt legacy");
    }

    [Fact]
    public async Task Releasing_drafts_on_a_page_opened_while_an_Admin_is_refused_once_she_is_an_Approver()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "production", SchemaVersion.Parse("1.3.0"), Token);
        SignIn(Ada);
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=release-drafts]")), Patience);
        await LowerAsync(Ada, Role.Approver);

        await AnswerReasonDialogAsync(page.Find("[data-testid=release-drafts]").ClickAsync(new()), "signed off by the risk team, ticket RISK-42");

        WaitForSnackbar("ada (Approver) may not release draft migrations for Production");
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Null(stored.DraftRelease);
        Assert.Equal(run.Revision, stored.Revision);
        AssertRefusalAudited("ada", $"tried to release the drafts of run {run.Id}");
    }

    [Fact]
    public async Task Accepting_drift_on_a_page_opened_while_an_Admin_is_refused_once_she_is_an_Approver()
    {
        var dev = Portal.Targets.Get("dev");
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(dev, "1.0.0", cancellationToken: Token)).Succeeded);
        await ByHand.DropIndexAsync(dev, "trades", "idx_trades_ttl", Token);
        var run = await Portal.ReadyForApprovalAsync("dev", "1.1.0");
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.NoDrift)!.Status);
        SignIn(Ada);
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=accept-drift]")), Patience);
        await LowerAsync(Ada, Role.Approver);

        await AnswerReasonDialogAsync(page.Find("[data-testid=accept-drift]").ClickAsync(new()), "the nightly job rebuilds the TTL index");

        WaitForSnackbar("ada (Approver) may not accept drift");
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Null(stored.DriftAcceptance);
        Assert.Equal(run.Revision, stored.Revision);
        AssertRefusalAudited("ada", $"tried to accept the drift for run {run.Id}");
    }

    [Fact]
    public async Task Approving_an_adoption_run_on_a_page_opened_while_an_Approver_is_refused_once_he_is_an_Operator()
    {
        var run = await Portal.Runs.CreateAdoptionAsync(Ada, "legacy", SchemaVersion.Parse("1.2.0"), "built by the spec's scripts", acceptDifferences: false, Token);
        run = await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        SignIn(Bob);
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Contains("Approve", ButtonsIn(page.Find("[data-testid=actions]"))), Patience);
        await LowerAsync(Bob, Role.Operator);

        await ClickButtonAsync(page.Find("[data-testid=actions]"), "Approve");

        WaitForSnackbar("bob (Operator) may not approve runs");
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((RunState.AwaitingApproval, null, run.Revision), (stored.State, stored.Approval, stored.Revision));
        Assert.Empty(Portal.Queue.Enqueued);
        AssertRefusalAudited("bob", $"tried to approve run {run.Id}");
    }

    /// <summary>Changes the person's role in the store behind the page's back, as another Admin or instance would.</summary>
    private async Task LowerAsync(TestPerson person, Role role) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(person.Name, Token))! with { Role = role }, Token);

    [Fact]
    public async Task A_rollback_confirmed_in_a_dialog_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(Portal.Targets.Get("dev"), "1.2.0", cancellationToken: Token)).Succeeded);
        SignIn(Olga);
        var page = RenderPage<TargetMigrations>(p => p.Add(x => x.Name, "dev"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=roll-back]")), Patience);
        var click = page.Find("[data-testid=roll-back]").ClickAsync(new());
        Dialogs.WaitForElement("[data-testid=rollback-confirm]", Patience);
        await LowerAsync(Olga, Role.Viewer);

        await Dialogs.Find("[data-testid=rollback-confirm]").ClickAsync(new());
        await click;

        WaitForSnackbar("olga (Viewer) may not create rollback runs");
        Assert.Null(await Portal.Store.LatestForTargetAsync("dev", Token));
        AssertRefusalAudited("olga", "tried to create a rollback run on dev");
    }

    /// <summary>Completes a click that opens a reason dialog, by writing <paramref name="reason"/> and confirming.</summary>
    private async Task AnswerReasonDialogAsync(Task click, string reason)
    {
        var field = Dialogs.WaitForElement("textarea", Patience);
        await field.InputAsync(new() { Value = reason });
        await Dialogs.Find("[data-testid=reason-confirm]").ClickAsync(new());
        await click;
    }

    private void AssertRefusalAudited(string user, string attempted)
    {
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith(attempted, StringComparison.Ordinal));
        Assert.Equal(user, refused.User);
    }
}
