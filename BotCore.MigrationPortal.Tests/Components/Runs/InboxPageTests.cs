using BotCore.MigrationPortal.Components.Layout;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>The "Waiting for me" page and the count beside it in the menu.</summary>
public sealed class InboxPageTests : RunsPageContext
{
    private async Task<MigrationRun> AwaitingApprovalAsync(string target, TestPerson requester)
    {
        var run = await Portal.ReadyForApprovalAsync(target, "1.1.0", requester);
        return await Portal.Runs.RequestApprovalAsync(requester, run.Id, run.Revision, Token);
    }

    private IRenderedComponent<WaitingForMe> RenderInbox()
    {
        var page = RenderPage<WaitingForMe>();
        page.WaitForElement("[data-testid=inbox]", Patience);
        return page;
    }

    /// <summary>The page once more in the same test: the MudBlazor providers are rendered once only.</summary>
    private IRenderedComponent<WaitingForMe> RenderInboxAgain()
    {
        var page = Render<WaitingForMe>();
        page.WaitForElement("[data-testid=inbox]", Patience);
        return page;
    }

    private static string? BadgeOf<T>(IRenderedComponent<T> rendered) where T : Microsoft.AspNetCore.Components.IComponent =>
        rendered.FindAll("[data-testid=inbox-badge]") is [var badge] ? TextOf(badge) : null;

    [Fact]
    public async Task A_run_awaiting_approval_is_listed_for_an_Approver_who_did_not_prepare_it_with_a_link_target_versions_and_who_asked_when()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);
        SignIn(Bob);

        var page = RenderInbox();

        var row = Assert.Single(RowsOf(page.Find("[data-testid=inbox]")));
        Assert.Equal([run.Id, "your approval", "dev Development", "0.0.0 → 1.1.0", "olga", run.ApprovalRequest()!.At.ToString("u"), ""], row);
        Assert.Equal($"runs/{run.Id}", page.Find($"[data-testid=inbox-run-{run.Id}]").GetAttribute("href"));
        Assert.Equal("Waiting for me", TextOf(page.Find("h1")));
    }

    [Fact]
    public async Task The_person_who_prepared_a_run_does_not_find_it_waiting_for_her_approval()
    {
        await AwaitingApprovalAsync("dev", Alice);
        SignIn(Alice);

        var page = RenderInbox();

        Assert.Empty(RowsOf(page.Find("[data-testid=inbox]")));
        Assert.Contains("Nothing waits for you", TextOf(page.Find("[data-testid=inbox]")));
    }

    [Fact]
    public async Task The_inbox_follows_the_rule_the_run_page_states_under_Who_may_approve()
    {
        var run = await Portal.ReadyForApprovalAsync("dev", "1.1.0", Olga);
        run = await Portal.BackUpAsync(run, Alice);
        run = await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        SignIn(Alice);
        var runPage = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        runPage.WaitForElement("[data-testid=who-may-approve]", Patience);

        Assert.StartsWith("An Approver or Admin other than olga and alice. You may not:", TextOf(runPage.Find("[data-testid=who-may-approve]")));
        Assert.Empty(RowsOf(RenderInboxAgain().Find("[data-testid=inbox]")));
        SignIn(Bob);
        Assert.Equal(run.Id, Assert.Single(RowsOf(RenderInboxAgain().Find("[data-testid=inbox]")))[0]);
    }

    [Fact]
    public async Task A_run_sent_back_is_listed_for_whoever_asked_with_who_sent_it_back_and_why()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);
        run = await Portal.Runs.SendBackAsync(Bob, run.Id, "tick the maintenance window first", run.Revision, Token);

        var page = RenderInbox();

        Assert.Equal([run.Id, "sent back to you", "dev Development", "0.0.0 → 1.1.0", "bob", run.SentBack!.At.ToString("u"), "“tick the maintenance window first”"],
            Assert.Single(RowsOf(page.Find("[data-testid=inbox]"))));
    }

    [Fact]
    public async Task An_adoption_awaiting_approval_says_the_version_it_adopts()
    {
        var run = await Portal.Runs.CreateAdoptionAsync(Ada, "legacy", Engine.SchemaVersion.Parse("1.2.0"), "built by the spec's scripts", acceptDifferences: false, Token);
        run = await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        SignIn(Bob);

        var row = Assert.Single(RowsOf(RenderInbox().Find("[data-testid=inbox]")));

        Assert.Equal([run.Id, "your approval", "legacy Production", "adopt at 1.2.0", "olga"], row.Take(5));
    }

    [Fact]
    public async Task The_menu_counts_the_runs_waiting_for_the_signed_in_person_and_shows_nothing_when_none_does()
    {
        await AwaitingApprovalAsync("dev", Olga);
        await AwaitingApprovalAsync("staging", Olga);

        SignIn(Bob);
        var bobs = Render<InboxBadge>();
        bobs.WaitForAssertion(() => Assert.Equal("2 runs wait for you", BadgeOf(bobs)), Patience);

        SignIn(Olga);
        var olgas = Render<InboxBadge>();
        olgas.WaitForAssertion(() => Assert.Null(BadgeOf(olgas)), Patience);
    }

    [Fact]
    public async Task The_count_is_read_again_on_each_navigation()
    {
        var run = await AwaitingApprovalAsync("dev", Olga);
        SignIn(Bob);
        var badge = Render<InboxBadge>();
        badge.WaitForAssertion(() => Assert.Equal("1 run waits for you", BadgeOf(badge)), Patience);

        await Portal.Runs.SendBackAsync(Bob, run.Id, "tick the maintenance window first", run.Revision, Token);
        Navigation.NavigateTo("runs");

        badge.WaitForAssertion(() => Assert.Null(BadgeOf(badge)), Patience);
    }

    [Fact]
    public async Task The_menu_links_to_the_inbox_with_the_count()
    {
        await AwaitingApprovalAsync("dev", Olga);
        SignIn(Bob);

        var menu = Render<NavMenu>();

        menu.WaitForAssertion(() => Assert.Equal("Waiting for me 1 run waits for you", TextOf(menu.Find("[data-testid=nav-inbox]"))), Patience);
        Assert.EndsWith("inbox", menu.Find("[data-testid=nav-inbox]").GetAttribute("href"));
    }
}
