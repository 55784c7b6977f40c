using AngleSharp.Dom;
using BotCore.MigrationPortal.Components.Pages.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Components.Runs;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Checks;

/// <summary>The checks page over the sandbox targets dev, staging and production, as a Viewer: checks only read, so anyone may run them.</summary>
public sealed class ChecksPageTests : RunsPageContext
{
    public ChecksPageTests() => SignIn(Victor);

    [Fact]
    public async Task Lists_the_targets_and_for_the_chosen_one_its_version_and_the_checks_of_its_pending_plan()
    {
        var page = RenderPage<ChecksPage>();

        var options = await ChooseAsync(page, "Target", "dev (Development)");

        Assert.Equal(["dev (Development)", "staging (Staging)", "legacy (Production)", "production (Production)"], options);

        page.WaitForAssertion(() => Assert.Equal("dev is at 0.0.0 (simulated: checks that need documents find none and say so).", TextOf(page.Find("[data-testid=target-state]"))), Patience);
        Assert.Equal("For the pending plan 0.0.0 → 1.3.0 (migrations 1.0.0, 1.1.0, 1.2.0, 1.3.0).", TextOf(page.Find("[data-testid=pre-plan]")));
        var pre = CheckIdsIn(page, "pre-checks");
        Assert.Equal(["pre.orphaned-trades", "pre.trade-quantity", "pre.email-index"], pre.Take(3));
        Assert.Contains("pre.unique-index:users.idx_users_email_unique", pre);
        Assert.Contains("pre.data-step:1.3.0/up/4", pre);
        Assert.Equal(["post.schema-version", "post.catalog", "post.validate", "post.document-counts", "post.confidence-range"], CheckIdsIn(page, "post-checks"));
        Assert.Equal(pre.Count + 5, page.FindAll("[data-testid=check-not-run]").Count);
        Assert.Contains("any signed-in user may run them", TextOf(page.Find("[data-testid=read-only-note]")));
    }

    [Fact]
    public async Task A_target_migrated_outside_the_portal_is_said_to_need_adopting_not_shown_as_an_error()
    {
        var page = RenderPage<ChecksPage>();

        await ChooseAsync(page, "Target", "legacy (Production)");

        page.WaitForAssertion(() => Assert.Equal(
            "legacy is not adopted: its database was migrated outside the portal (system_config holds 2 DATABASE_SCHEMA_VERSION documents and no one version; " +
            "adopting it keeps one). Its checks need the version it is at: adopt it first.", TextOf(page.Find("[data-testid=not-adopted]"))), Patience);
        Assert.Equal("targets/legacy/adopt", page.Find("[data-testid=not-adopted] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=problem]"));
        Assert.Empty(page.FindAll("[data-testid=pre-checks]"));
    }

    [Fact]
    public async Task Running_one_check_shows_its_result_evidence_and_timing_and_leaves_the_others_alone()
    {
        Navigation.NavigateTo("checks?target=dev");
        var page = RenderPage<ChecksPage>();
        page.WaitForElement("[data-testid=pre-checks]", Patience);

        await RunButton(page, "pre.orphaned-trades").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=check-result]")), Patience);
        var row = RowOf(page, "pre.orphaned-trades");
        // It could not run against a simulated target: "simulated" in the info colour, never a green "passed".
        var outcome = row.QuerySelector("[data-testid=check-outcome]")!;
        Assert.Equal("simulated", TextOf(outcome));
        Assert.Contains("mud-chip-color-info", outcome.ClassName);
        Assert.Equal("sandbox: the simulated database holds no documents", TextOf(row.QuerySelector("[data-testid=check-summary]")!));
        Assert.EndsWith(" ms", TextOf(row.QuerySelector("[data-testid=check-duration]")!));
        Assert.Equal("not run", TextOf(RowOf(page, "pre.trade-quantity").QuerySelector("[data-testid=check-not-run]")!));
        Assert.Equal("0 of 17 passed, 1 simulated, 0 blocking, 16 not run", TextOf(page.Find("[data-testid=pre-tally]")));
    }

    [Fact]
    public async Task After_a_migration_run_all_verifies_the_applied_version_with_its_critical_queries()
    {
        await MigrateAsync("dev", "1.3.0");
        Navigation.NavigateTo("checks?target=dev");
        var page = RenderPage<ChecksPage>();
        page.WaitForElement("[data-testid=post-checks]", Patience);
        Assert.Equal("No migration is pending (1.3.0 is the latest): the spec's checks look at the database as it is.", TextOf(page.Find("[data-testid=pre-plan]")));
        Assert.Equal(["post.schema-version", "post.catalog", "post.validate", "post.document-counts", "post.confidence-range",
            "post.explain:1.0.0#1", "post.explain:1.2.0#1"], CheckIdsIn(page, "post-checks"));

        await page.Find("[data-testid=run-all-post]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal("2 of 7 passed, 5 simulated, 0 blocking, 0 not run", TextOf(page.Find("[data-testid=post-tally]"))), Patience);
        Assert.Equal("the schema version is 1.3.0", SummaryOf(page, "post.schema-version"));
        Assert.Contains("users: matches the expected catalog", EvidenceOf(page, "post.catalog"));
        Assert.StartsWith("simulated: the sandbox has no query planner", SummaryOf(page, "post.explain:1.2.0#1"));
        Assert.StartsWith("simulated: the sandbox has no storage engine", SummaryOf(page, "post.validate"));
        Assert.Equal("users.idx_users_email_unique is in place", await RunPreAsync(page, "pre.email-index"));
    }

    private async Task<string> RunPreAsync(IRenderedComponent<ChecksPage> page, string checkId)
    {
        await RunButton(page, checkId).ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => Assert.NotNull(RowOf(page, checkId).QuerySelector("[data-testid=check-summary]")), Patience);
        return SummaryOf(page, checkId);
    }

    /// <summary>Migrates a sandbox target of this context as a run would.</summary>
    private async Task MigrateAsync(string target, string to)
    {
        var plan = Services.GetRequiredService<MigrationPlanner>().Plan(SchemaVersion.Zero, SchemaVersion.Parse(to));
        var result = await Services.GetRequiredService<MigrationRunner>().RunAsync(Services.GetRequiredService<TargetRegistry>().Get(target), plan,
            EngineHarness.Request(), new RecordingProgress(), Token);
        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
    }

    private static IReadOnlyList<string> CheckIdsIn(IRenderedComponent<ChecksPage> page, string table) =>
        page.FindAll($"[data-testid={table}] td[data-testid^=check-]").Select(cell => cell.GetAttribute("data-testid")!["check-".Length..]).ToList();

    private static IElement RowOf(IRenderedComponent<ChecksPage> page, string checkId) =>
        page.Find($"td[data-testid=\"check-{checkId}\"]").ParentElement!;

    private static IElement RunButton(IRenderedComponent<ChecksPage> page, string checkId) => page.Find($"button[data-testid=\"run-{checkId}\"]");

    private static string SummaryOf(IRenderedComponent<ChecksPage> page, string checkId) =>
        TextOf(RowOf(page, checkId).QuerySelector("[data-testid=check-summary]")!);

    private static IReadOnlyList<string> EvidenceOf(IRenderedComponent<ChecksPage> page, string checkId) =>
        RowOf(page, checkId).QuerySelectorAll("[data-testid=check-evidence] li").Select(TextOf).ToList();
}
