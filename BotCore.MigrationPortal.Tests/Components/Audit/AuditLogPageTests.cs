using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Unit.Audit;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;
using AuditLogPage = BotCore.MigrationPortal.Components.Pages.Audit.AuditLog;

namespace BotCore.MigrationPortal.Tests.Components.Audit;

/// <summary>The audit log page as Victor, a Viewer: anyone signed in may read the log and verify its chain.</summary>
public sealed class AuditLogPageTests : PortalPageContext
{
    private readonly InMemoryAuditStore store = new();
    private IAuditStore served;

    public AuditLogPageTests()
    {
        served = store;
        Services.AddSingleton(_ => served);
        Services.AddSingleton<IAuditLog>(provider =>
            new HashChainedAuditLog(provider.GetRequiredService<IAuditStore>(), TimeProvider.System, NullLogger<HashChainedAuditLog>.Instance));
        Services.AddSingleton<AuditVerifier>();
        SignIn(Victor);
    }

    private async Task DisableAsync(Actor actor) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(actor.Name, Token))! with { Disabled = true }, Token);

    private async Task Fill(int count)
    {
        foreach (var entry in AuditTestData.Chain(count)) Assert.True(await store.TryAppendAsync(entry, Token));
    }

    private static List<string> DetailsShown(IRenderedComponent<AuditLogPage> page) =>
        page.FindAll("tbody tr.mud-table-row td[data-label='Details']").Select(cell => cell.TextContent.Trim()).ToList();

    private static string ExportHref(IRenderedComponent<AuditLogPage> page) => page.Find("[data-testid=export-csv]").GetAttribute("href")!;

    [Fact]
    public async Task Entries_are_shown_newest_first()
    {
        await Fill(3);

        var page = RenderPage<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(["entry 2", "entry 1", "entry 0"], DetailsShown(page)));
        Assert.Contains("2026-11-24 08:02:00", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=audit-empty]"));
    }

    [Fact]
    public void An_empty_log_says_so()
    {
        var page = RenderPage<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains("No audit entries match these filters.", page.Find("[data-testid=audit-empty]").TextContent));
        Assert.Equal("audit/export.csv", ExportHref(page));
    }

    [Fact]
    public async Task Verifying_shows_an_intact_chain_and_records_the_verification()
    {
        await Fill(3);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(3, DetailsShown(page).Count));

        await page.Find("[data-testid=verify-chain]").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[data-testid=verify-result]");
            Assert.Contains("Chain intact, 3 entries.", alert.TextContent);
            Assert.Contains("success", alert.ClassName);
        });
        page.WaitForAssertion(() => Assert.Equal("Chain intact, 3 entries.", DetailsShown(page)[0]));
        var recorded = (await store.LastAsync(Token))!;
        Assert.Equal((AuditActions.AuditVerified, "victor", "Viewer"), (recorded.Action, recorded.User, recorded.Role));
    }

    [Fact]
    public async Task Verifying_shows_the_first_broken_link()
    {
        await Fill(5);
        served = new EditedEntryStore(store, editedSequence: 3);
        var page = RenderPage<AuditLogPage>();

        await page.Find("[data-testid=verify-chain]").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[data-testid=verify-result]");
            Assert.Contains("Chain broken at entry #3 (2026-11-24T08:02:00.000Z): the entry was edited", alert.TextContent);
            Assert.Contains("error", alert.ClassName);
        });
    }

    [Fact]
    public async Task Changing_the_user_filter_reloads_the_entries_and_the_export_link()
    {
        await Fill(9);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(9, DetailsShown(page).Count));

        await page.Find("input[data-testid=filter-user]").ChangeAsync(new() { Value = "bob" });

        page.WaitForAssertion(() => Assert.Equal(["entry 7", "entry 4", "entry 1"], DetailsShown(page)));
        Assert.Equal("audit/export.csv?user=bob", ExportHref(page));
    }

    [Fact]
    public async Task The_user_filter_matches_a_part_of_the_name_in_any_case()
    {
        await Fill(9);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(9, DetailsShown(page).Count));

        await page.Find("input[data-testid=filter-user]").ChangeAsync(new() { Value = "BO" });

        page.WaitForAssertion(() => Assert.Equal(["entry 7", "entry 4", "entry 1"], DetailsShown(page)));
        Assert.Contains("Part of a name, any case", page.Markup);
    }

    [Fact]
    public async Task Several_actions_at_once_show_the_entries_of_any_of_them_and_the_export_carries_each()
    {
        await Fill(9);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(9, DetailsShown(page).Count));

        var actions = page.FindComponent<MudSelect<string>>();
        Assert.True(actions.Instance.MultiSelection);
        await page.InvokeAsync(() => actions.Instance.SelectedValuesChanged.InvokeAsync([AuditActions.SignIn, AuditActions.Approved]));

        page.WaitForAssertion(() => Assert.Equal(["entry 7", "entry 5", "entry 3", "entry 1"], DetailsShown(page)));
        Assert.Equal("audit/export.csv?action=approved&action=sign-in", ExportHref(page));
    }

    [Fact]
    public async Task The_run_filter_shows_one_runs_entries_and_each_run_links_to_its_page()
    {
        await Fill(9);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(9, DetailsShown(page).Count));
        Assert.Equal(["runs/run-8", "runs/run-6", "runs/run-4", "runs/run-2", "runs/run-0"],
            page.FindAll("[data-testid=audit-run-link]").Select(link => link.GetAttribute("href")));

        await page.Find("input[data-testid=filter-run]").ChangeAsync(new() { Value = " run-4 " });

        page.WaitForAssertion(() => Assert.Equal(["entry 4"], DetailsShown(page)));
        Assert.Equal("run-4", page.Find("[data-testid=audit-run-link]").TextContent.Trim());
        Assert.Equal("audit/export.csv?run=run-4", ExportHref(page));
    }

    [Fact]
    public async Task Opened_with_a_run_in_its_address_the_log_shows_that_runs_entries()
    {
        await Fill(9);
        Navigation.NavigateTo("audit?run=run-2");

        var page = RenderPage<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(["entry 2"], DetailsShown(page)));
        Assert.Equal("run-2", page.Find("input[data-testid=filter-run]").GetAttribute("value"));
    }

    [Fact]
    public async Task Pages_are_fetched_from_the_store_and_a_new_filter_starts_again_at_the_first_page()
    {
        await Fill(60);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal("entry 59", DetailsShown(page)[0]));

        var grid = page.FindComponent<MudDataGrid<AuditEntry>>();
        await page.InvokeAsync(() => grid.Instance.NavigateTo(Page.Next));
        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(10, 25).Reverse().Select(i => $"entry {i}"), DetailsShown(page)));

        await page.Find("input[data-testid=filter-user]").ChangeAsync(new() { Value = "bob" });

        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(0, 60).Where(i => i % 3 == 1).Reverse().Take(25).Select(i => $"entry {i}"), DetailsShown(page)));
    }

    [Fact]
    public async Task Choosing_an_action_and_dates_reloads_the_entries()
    {
        await Fill(9);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(9, DetailsShown(page).Count));

        var action = page.FindComponent<MudSelect<string>>();
        await page.InvokeAsync(() => action.Instance.SelectedValuesChanged.InvokeAsync([AuditActions.Approved]));

        page.WaitForAssertion(() => Assert.Equal(["entry 5", "entry 1"], DetailsShown(page)));

        var from = page.FindComponents<MudDatePicker>()[0];
        await page.InvokeAsync(() => from.Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 25)));

        page.WaitForAssertion(() => Assert.Contains("No audit entries match these filters.", page.Find("[data-testid=audit-empty]").TextContent));
        Assert.Equal("audit/export.csv?action=approved&from=2026-11-25", ExportHref(page));
    }

    [Fact]
    public async Task The_last_date_there_is_as_To_date_shows_every_entry_up_to_it()
    {
        await Fill(3);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(3, DetailsShown(page).Count));

        var to = page.FindComponents<MudDatePicker>()[1];
        await page.InvokeAsync(() => to.Instance.DateChanged.InvokeAsync(new DateTime(9999, 12, 31)));

        page.WaitForAssertion(() => Assert.Equal("audit/export.csv?to=9999-12-31", ExportHref(page)));
        Assert.Equal(["entry 2", "entry 1", "entry 0"], DetailsShown(page));
        Assert.Empty(page.FindAll("[data-testid=filter-problem]"));
    }

    [Fact]
    public async Task A_From_date_after_the_To_date_is_explained_instead_of_queried()
    {
        await Fill(3);
        var page = RenderPage<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(3, DetailsShown(page).Count));

        var pickers = page.FindComponents<MudDatePicker>();
        await page.InvokeAsync(() => pickers[0].Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 25)));
        await page.InvokeAsync(() => pickers[1].Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 24)));

        page.WaitForAssertion(() => Assert.Equal(
            "The From date (2026-11-25) is after the To date (2026-11-24), so no entry can match: change one of them.",
            page.Find("[data-testid=filter-problem]").TextContent.Trim()));
        Assert.Empty(DetailsShown(page));
        Assert.Null(page.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_disabled_account_is_told_why_it_cannot_verify()
    {
        await DisableAsync(Victor);
        var page = RenderPage<AuditLogPage>();

        await page.Find("[data-testid=verify-chain]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("The account 'victor' is disabled", page.Find("[data-testid=verify-refused]").TextContent));
        var last = (await store.LastAsync(Token))!;
        Assert.Equal((AuditActions.ActionRefused, "victor"), (last.Action, last.User));
        Assert.Contains("tried to verify the audit chain", last.Details);
    }

    /// <summary>Someone changed one entry's details in the store behind the portal's back.</summary>
    private sealed class EditedEntryStore(InMemoryAuditStore inner, long editedSequence) : IAuditStore
    {
        public Task<AuditEntry?> LastAsync(CancellationToken cancellationToken) => inner.LastAsync(cancellationToken);

        public Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken) => inner.TryAppendAsync(entry, cancellationToken);

        public Task<AuditPage> QueryAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken) =>
            inner.QueryAsync(filter, skip, take, cancellationToken);

        public IAsyncEnumerable<AuditEntry> ReadFilteredAsync(AuditFilter filter, CancellationToken cancellationToken) =>
            inner.ReadFilteredAsync(filter, cancellationToken);

        public IAsyncEnumerable<AuditEntry> ReadChainAsync(CancellationToken cancellationToken) =>
            inner.ReadChainAsync(cancellationToken).Select(e => e.Sequence == editedSequence ? e with { Details = "edited" } : e);
    }
}
