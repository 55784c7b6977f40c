using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

public sealed class RunsListPageTests : RunsPageContext
{
    private static IReadOnlyList<IReadOnlyList<string>> Rows(IRenderedComponent<RunsList> page) => RowsOf(page.Find("[data-testid=runs]"));

    private static string EmptyMessage(IRenderedComponent<RunsList> page) => TextOf(page.Find("[data-testid=runs] .mud-table-empty-row"));

    /// <summary>The list, once it shows a run on dev left in pre-checks and a newer one on staging, cancelled.</summary>
    private async Task<(IRenderedComponent<RunsList> Page, MigrationRun Open, MigrationRun Cancelled)> ListOfTwoRunsAsync()
    {
        var open = await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        var cancelled = await Portal.Runs.CreateAsync(Olga, "staging", SchemaVersion.Parse("1.0.0"), Token);
        cancelled = await Portal.Runs.CancelAsync(Olga, cancelled.Id, cancelled.Revision, Token);
        var page = RenderPage<RunsList>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count), Patience);
        return (page, open, cancelled);
    }

    [Fact]
    public void Without_runs_the_list_says_so()
    {
        var page = RenderPage<RunsList>();

        page.WaitForAssertion(() => Assert.Equal("No runs yet.", EmptyMessage(page)), Patience);
        Assert.Empty(Rows(page));
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_with_their_state()
    {
        var (page, open, cancelled) = await ListOfTwoRunsAsync();

        Assert.Equal(
            [
                [cancelled.Id, "staging Staging", "Migration", "0.0.0 → 1.0.0", "Cancelled", "olga"],
                [open.Id, "dev Development", "Migration", "0.0.0 → 1.1.0", "Pre-checks", "olga"],
            ],
            Rows(page).Select(row => row.Take(6).ToList()));
        Assert.Equal($"runs/{open.Id}", page.Find($"a[href='runs/{open.Id}']").GetAttribute("href"));
    }

    [Fact]
    public async Task Choosing_a_state_reloads_the_list_with_only_those_runs()
    {
        var (page, _, cancelled) = await ListOfTwoRunsAsync();

        await ChooseAsync(page, "State", "Cancelled");

        page.WaitForAssertion(() => Assert.Equal([cancelled.Id], Rows(page).Select(row => row[0])), Patience);
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_says_so()
    {
        var (page, _, _) = await ListOfTwoRunsAsync();

        await ChooseAsync(page, "State", "Succeeded");

        page.WaitForAssertion(() => Assert.Equal("No runs yet with these filters.", EmptyMessage(page)), Patience);
    }

    [Fact]
    public async Task Choosing_a_target_reloads_the_list_with_only_its_runs()
    {
        var (page, open, _) = await ListOfTwoRunsAsync();

        await ChooseAsync(page, "Target", "dev");

        page.WaitForAssertion(() => Assert.Equal([open.Id], Rows(page).Select(row => row[0])), Patience);
    }

    [Theory]
    [InlineData(Role.Operator, true)]
    [InlineData(Role.Viewer, false)]
    public void Only_an_Operator_is_offered_a_new_run(Role role, bool offered)
    {
        SignIn(new[] { Olga, Victor }.Single(actor => actor.Role == role));

        var page = RenderPage<RunsList>();

        page.WaitForAssertion(() => Assert.Equal("No runs yet.", EmptyMessage(page)), Patience);
        Assert.Equal(offered, page.FindAll("a[href='runs/new']").Count == 1);
    }
}
