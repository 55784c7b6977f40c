using BotCore.MigrationPortal.Components.Pages;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Targets;
using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

public sealed class DashboardPageTests : RunsPageContext
{
    private IRenderedComponent<Dashboard> RenderDashboard()
    {
        var page = RenderPage<Dashboard>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Patience);
        return page;
    }

    /// <summary>Replaces the sandbox targets with these <c>Targets</c> settings, as a portal against MongoDB reads them.</summary>
    private void UseMongoTargets(Dictionary<string, string?> settings) =>
        Services.AddSingleton(new TargetRegistry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), sandbox: false, new LeaseOptions(),
            TimeProvider.System, NullLoggerFactory.Instance, TimeSpan.Zero));

    [Fact]
    public void Each_sandbox_target_has_a_card_at_0_0_0_with_every_migration_pending()
    {
        var page = RenderDashboard();

        foreach (var target in new[] { "dev", "staging", "production" })
        {
            var card = page.Find($"[data-testid=target-{target}]");
            Assert.Equal("0.0.0", ValueOf(card, "Applied version"));
            Assert.Equal("1.0.0, 1.1.0, 1.2.0, 1.3.0 (draft)", ValueOf(card, "Pending"));
            Assert.Equal("none", ValueOf(card, "Drift"));
            Assert.Contains($"sandbox://{target}", TextOf(card));
            Assert.Empty(card.QuerySelectorAll("[data-testid=unreachable]"));
        }
    }

    [Fact]
    public void An_Operator_is_offered_a_new_run_on_each_target_with_pending_migrations()
    {
        var page = RenderDashboard();

        var links = page.FindAll("a").Where(a => TextOf(a) == "New run").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["runs/new?target=dev", "runs/new?target=staging", "runs/new?target=production"], links);
    }

    [Fact]
    public void A_Viewer_is_not_offered_a_new_run()
    {
        SignIn(Victor);

        var page = RenderDashboard();

        Assert.Equal(4, page.FindAll("[data-testid^=target-]").Count);
        Assert.DoesNotContain(page.FindAll("a"), a => TextOf(a) == "New run");
    }

    [Fact]
    public async Task A_card_links_the_last_run_of_its_target()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "staging", Engine.SchemaVersion.Parse("1.1.0"), Token);

        var page = RenderDashboard();

        var card = page.Find("[data-testid=target-staging]");
        Assert.Equal("0.0.0 → 1.1.0", TextOf(card.QuerySelector($"a[href='runs/{run.Id}']")!));
        Assert.Equal("Pre-checks", TextOf(card.QuerySelector("[data-testid=run-state]")!));
        Assert.Contains("by olga", TextOf(card));
        Assert.Contains("Last run: none", TextOf(page.Find("[data-testid=target-dev]")));
    }

    [Fact]
    public void An_unreachable_target_shows_why_instead_of_its_version()
    {
        UseMongoTargets(new()
        {
            ["Targets:offline:ConnectionString"] = "mongodb://127.0.0.1:1/?directConnection=true",
            ["Targets:offline:TimeoutSeconds"] = "1",
        });

        var page = RenderDashboard();

        var card = page.Find("[data-testid=target-offline]");
        Assert.Contains("unreachable", TextOf(card.QuerySelector("[data-testid=unreachable]")!));
        Assert.Empty(card.QuerySelectorAll("[data-testid=applied-version]"));
        Assert.DoesNotContain(page.FindAll("a"), a => TextOf(a) == "New run");
    }

    [Fact]
    public void Without_targets_the_dashboard_says_how_to_configure_one()
    {
        UseMongoTargets([]);

        var page = RenderDashboard();

        Assert.Contains("No target is configured.", TextOf(page.Find(".mud-alert")));
        Assert.Empty(page.FindAll("[data-testid^=target-]"));
    }
}
