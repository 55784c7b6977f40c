using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Change;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// The run page's Change section for a 1.2.0 → 1.3.0 run on the sandbox's dev target: the schema diff against the target as read when
/// the section opened, the commands of the up and of the derived down, the links to the migration page and the downloads.
/// </summary>
public sealed class RunChangeViewTests : RunsPageContext
{
    private async Task<MigrationRun> RunFrom120To130Async()
    {
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(Portal.Targets.Get("dev"), "1.2.0", cancellationToken: Token)).Succeeded);
        return await Portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.3.0"), Token);
    }

    /// <summary>The run page with its Change section opened (a run in pre-checks shows it folded: its preparer has other things to do first).</summary>
    private IRenderedComponent<RunDetail> Open(MigrationRun run)
    {
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Equal("false", page.Find("[data-testid=toggle-change]").GetAttribute("aria-expanded")), Patience);
        page.Find("[data-testid=toggle-change]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=change-diff]")), Patience);
        return page;
    }

    [Fact]
    public async Task Before_approval_the_diff_lists_what_the_run_creates_and_folds_the_collections_that_stay()
    {
        var page = Open(await RunFrom120To130Async());

        var rows = RowsOf(page.Find("[data-testid=change-diff]"));
        Assert.Equal(
            [
                ["(database)", "schema version", "changed", "1.2.0", "1.3.0"],
                ["portfolio_snapshots", "collection", "created", "—", """{ "type" : "collection", "options" : { } }"""],
                ["positions", "collection", "created", "—", """{ "type" : "collection", "options" : { } }"""],
            ], rows.Take(3).Select(r => r.Select(c => c.Replace("\n", " ")).Select(Squeezed).ToList()));
        Assert.Equal(["risk_metrics", "collection", "created", "—"], rows[3].Take(4));
        Assert.Contains("\"$jsonSchema\"", rows[3][4]);
        Assert.Contains("\"validationLevel\" : \"strict\"", rows[3][4]);
        Assert.Equal(["risk_metrics", "index idx_risk_metrics_user_time", "created", "—"], rows[4].Take(4));
        Assert.Equal(5, rows.Count);
        var unchanged = Portal.Registry.ExpectedCatalogAt(SchemaVersion.Parse("1.2.0")).Collections.Count;
        Assert.Equal($"{unchanged} other collections stay as they are.", TextOf(page.Find("[data-testid=change-unchanged]")));
        Assert.StartsWith("Before: the target dev as read at ", TextOf(page.Find("[data-testid=change-source]")));
    }

    [Fact]
    public async Task The_commands_of_the_up_and_of_the_derived_down_are_shown_step_by_step()
    {
        var page = Open(await RunFrom120To130Async());

        var up = RowsOf(page.Find("[data-testid=commands-up]"));
        var down = RowsOf(page.Find("[data-testid=commands-down]"));

        Assert.Equal(6, up.Count);
        Assert.Equal("1.3.0 up [1/6]", up[0][0]);
        Assert.StartsWith("// only if risk_metrics does not exist yet", up[0][2]);
        Assert.Contains("db.createCollection(\"risk_metrics\", { \"validator\" : { \"$jsonSchema\"", up[0][2]);
        Assert.Equal("""db.getCollection("risk_metrics").createIndex({ "user_id" : 1, "timestamp" : -1 }, { "name" : "idx_risk_metrics_user_time" });""", up[1][2]);
        Assert.Contains("in batches of 1,000 by _id", up[5][2]);
        Assert.Contains("""update: { "$set" : { "var_95" : NumberDecimal("0.00") } }""", up[5][2]);
        Assert.Equal(6, down.Count);
        Assert.Equal(["1.3.0 down [5/6]", "drop index risk_metrics.idx_risk_metrics_user_time",
            """db.getCollection("risk_metrics").dropIndex("idx_risk_metrics_user_time");"""], down[4]);
        Assert.Equal("""db.getCollection("risk_metrics").drop();""", down[5][2]);
        Assert.Contains("Commands of the up: 1.2.0 → 1.3.0 (this run)", TextOf(page.Find("[data-testid=change-panel]")));
        Assert.Contains("Commands of the down: 1.3.0 → 1.2.0 (its rollback, derived)", TextOf(page.Find("[data-testid=change-panel]")));
    }

    [Fact]
    public async Task Each_step_links_to_its_migration_page()
    {
        var page = Open(await RunFrom120To130Async());

        var links = page.FindAll("[data-testid=step-link]");

        Assert.Equal(12, links.Count);
        Assert.All(links, link => Assert.Equal("migrations/1.3.0", link.GetAttribute("href")));
    }

    [Fact]
    public async Task The_download_is_the_script_of_the_steps_shown_and_is_audited()
    {
        var run = await RunFrom120To130Async();
        var page = Open(run);
        var link = page.Find("[data-testid=download-up]");
        Assert.Equal($"runs/{run.Id}/mongosh/up.js", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
        Assert.Equal($"runs/{run.Id}/mongosh/down.js", page.Find("[data-testid=download-down]").GetAttribute("href"));

        // What the link's endpoint answers, as the person signed in on the page.
        var script = (await Services.GetRequiredService<RunChangeService>().ExportAsync(Olga, run.Id, Direction.Down, Token))!;

        Assert.Equal($"{run.Id}-down-1.3.0-to-1.2.0.js", script.FileName);
        var planner = Services.GetRequiredService<MigrationPlanner>();
        Assert.Equal(MongoshScript.For(planner.Plan(run.To, run.From), Services.GetRequiredService<BatchOptions>(),
            [$"BotCore Migration Portal: run {run.Id} on dev (Development), down: 1.3.0 → 1.2.0 (its rollback, derived)."]), script.Content);
        var audited = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ScriptDownloaded);
        Assert.Equal(("olga", "dev", run.Id, "downloaded the mongosh script of the down 1.3.0 → 1.2.0"), (audited.User, audited.Target, audited.RunId, audited.Details));
    }

    [Fact]
    public async Task Downloading_from_a_page_opened_before_the_account_was_disabled_is_refused_and_audited()
    {
        var run = await RunFrom120To130Async();
        Open(run);
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(Olga.Name, Token))! with { Disabled = true }, Token);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Services.GetRequiredService<RunChangeService>().ExportAsync(Olga, run.Id, Direction.Up, Token));

        Assert.Equal("The account 'olga' is disabled.", refused.Message);
        Assert.DoesNotContain(Portal.Audit.Records, r => r.Action == AuditActions.ScriptDownloaded);
        Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == "olga" &&
            r.Details.StartsWith($"tried to download the mongosh script of the up of run {run.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approved_run_keeps_the_section_folded_until_it_is_opened()
    {
        var run = await Portal.QueuedAsync("dev", "1.0.0");
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=change-panel]")), Patience);
        Assert.Empty(page.FindAll("[data-testid=change-diff]"));

        await page.Find("[data-testid=toggle-change]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=commands-up]")), Patience);
    }

    private static string Squeezed(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
