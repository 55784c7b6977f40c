using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

public sealed class NewRunPageTests : RunsPageContext
{
    private const string NotAuthorized = "not authorized";

    private static string PlanOf(IRenderedComponent<NewRun> page) => TextOf(page.Find(".mud-typography-subtitle2"));

    private static IReadOnlyList<string> PlannedMigrations(IRenderedComponent<NewRun> page) => page.FindAll("li").Select(TextOf).ToList();

    /// <summary>
    /// Authorization as the portal configures it (its role policies and their handler) instead of bUnit's stand-in,
    /// which grants whatever policies a test names: the page's own attribute is then checked against the signed-in role.
    /// </summary>
    private void UsePortalPolicies()
    {
        Services.AddSingleton(_ => new ServiceCollection().AddLogging().AddPortalSecurity(TestPortal.Configuration(), TestPortal.Environment, new PortalMode(IsSandbox: true)).BuildServiceProvider());
        Services.AddSingleton(provider => provider.GetRequiredService<ServiceProvider>().GetRequiredService<IAuthorizationService>());
        Services.AddSingleton(provider => provider.GetRequiredService<ServiceProvider>().GetRequiredService<IAuthorizationPolicyProvider>());
    }

    /// <summary>Renders the page as the router does, through <see cref="AuthorizeRouteView"/>.</summary>
    private IRenderedComponent<AuthorizeRouteView> RenderRouted() =>
        RenderPage<AuthorizeRouteView>(p => p
            .Add(x => x.RouteData, new RouteData(typeof(NewRun), new Dictionary<string, object?>()))
            .Add(x => x.NotAuthorized, (RenderFragment<AuthenticationState>)(_ => builder => builder.AddContent(0, NotAuthorized))));

    [Fact]
    public async Task Choosing_a_target_shows_its_version_and_the_plan_to_the_last_released_migration()
    {
        var page = RenderPage<NewRun>();
        Assert.Empty(page.FindAll("[data-testid=create-run]"));

        await ChooseAsync(page, "Target", "dev (Development)");

        page.WaitForAssertion(() => Assert.Equal("0.0.0", TextOf(page.Find("[data-testid=current-version]"))), Patience);
        Assert.Equal("Plan: 0.0.0 → 1.2.0 (up), 3 migrations", PlanOf(page));
        Assert.Equal(["1.0.0 up", "1.1.0 up", "1.2.0 up"], PlannedMigrations(page).Select(m => m[..m.IndexOf(':')]));
        Assert.StartsWith("1.1.0 up: Paper trading support (7 steps)", PlannedMigrations(page)[1]);
    }

    [Fact]
    public async Task The_draft_is_offered_labelled_and_its_plan_says_so()
    {
        Navigation.NavigateTo("runs/new?target=dev");
        var page = RenderPage<NewRun>();

        var options = await ChooseAsync(page, "Take it to version", "1.3.0 (DRAFT: not released)");

        Assert.Contains("1.3.0 (DRAFT: not released)", options);
        Assert.Contains("1.2.0", options);
        page.WaitForAssertion(() => Assert.Equal("Plan: 0.0.0 → 1.3.0 (up), 4 migrations", PlanOf(page)), Patience);
        Assert.Equal("DRAFT", TextOf(Assert.Single(page.FindAll("[data-testid=draft]"))));
    }

    [Fact]
    public void A_database_not_adopted_is_sent_to_adoption_instead_of_a_plan()
    {
        Navigation.NavigateTo("runs/new?target=legacy");

        var page = RenderPage<NewRun>();

        page.WaitForAssertion(() => Assert.Contains("Not adopted:", TextOf(page.Find("[data-testid=not-adopted]"))), Patience);
        Assert.Equal("targets/legacy/adopt", page.Find("[data-testid=not-adopted] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=create-run]"));
    }

    [Fact]
    public async Task Choosing_another_version_changes_the_plan()
    {
        Navigation.NavigateTo("runs/new?target=dev");
        var page = RenderPage<NewRun>();

        await ChooseAsync(page, "Take it to version", "1.1.0");

        page.WaitForAssertion(() => Assert.Equal("Plan: 0.0.0 → 1.1.0 (up), 2 migrations", PlanOf(page)), Patience);
        Assert.Equal(2, PlannedMigrations(page).Count);
    }

    [Fact]
    public void The_target_in_the_address_is_read_at_once()
    {
        Navigation.NavigateTo("runs/new?target=staging");

        var page = RenderPage<NewRun>();

        page.WaitForAssertion(() => Assert.Equal("Plan: 0.0.0 → 1.2.0 (up), 3 migrations", PlanOf(page)), Patience);
        Assert.Equal("staging is at 0.0.0.", TextOf(page.Find("[data-testid=current-version]").ParentElement!));
    }

    [Fact]
    public async Task Creating_the_run_pre_checks_it_and_opens_its_page()
    {
        Navigation.NavigateTo("runs/new?target=dev");
        var page = RenderPage<NewRun>();
        page.WaitForAssertion(() => Assert.Equal("0.0.0", TextOf(page.Find("[data-testid=current-version]"))), Patience);

        await page.Find("[data-testid=create-run]").ClickAsync(new());

        var run = Assert.Single((await Portal.Store.QueryAsync(new(), Token)).Runs);
        Assert.Equal(("dev", "1.2.0", RunState.PreChecks, "olga"), (run.Target, run.To.ToString(), run.State, run.RequestedBy));
        Assert.Equal($"http://localhost/runs/{run.Id}", Navigation.Uri);
    }

    [Fact]
    public void The_router_shows_the_page_to_an_Operator()
    {
        UsePortalPolicies();

        var routed = RenderRouted();

        routed.WaitForAssertion(() => Assert.Contains("New run", TextOf(routed.Find("h1"))), Patience);
        Assert.DoesNotContain(NotAuthorized, routed.Markup);
    }

    [Fact]
    public void The_router_does_not_show_the_page_to_a_Viewer()
    {
        UsePortalPolicies();
        SignIn(Victor);

        var routed = RenderRouted();

        routed.WaitForAssertion(() => Assert.Contains(NotAuthorized, routed.Markup), Patience);
        Assert.Empty(routed.FindAll("[data-testid=target-select]"));
    }

    [Fact]
    public async Task The_run_service_refuses_a_Viewer_who_calls_it_anyway()
    {
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Portal.Runs.CreateAsync(Victor, "dev", SchemaVersion.Parse("1.1.0"), Token));

        Assert.Equal("victor (Viewer) may not create runs: it needs the Operator role.", refused.Message);
        Assert.Empty((await Portal.Store.QueryAsync(new(), Token)).Runs);
    }
}
