using BotCore.MigrationPortal.Engine.Leases;
using AngleSharp.Dom;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages;
using BotCore.MigrationPortal.Components.Pages.Sandbox;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Sandbox;

/// <summary>The dashboard's sandbox faults control: an Admin's alone, on simulated targets alone, and acting only while she is still an Admin.</summary>
public sealed class SandboxFaultsPanelTests : PortalPageContext
{
    private SandboxFaults Faults => Services.GetRequiredService<SandboxFaults>();

    private IRenderedComponent<Dashboard> RenderDashboard()
    {
        var page = RenderPage<Dashboard>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Patience);
        return page;
    }

    private static IRenderedComponent<SandboxFaultsPanel> PanelOf(IRenderedComponent<Dashboard> page, string target) =>
        page.FindComponents<SandboxFaultsPanel>().Single(panel => panel.Instance.Target.Name == target);

    [Fact]
    public void An_Admin_sees_a_sandbox_faults_region_on_each_card_with_a_heading_and_a_label_on_every_field()
    {
        SignIn(Ada);

        var page = RenderDashboard();

        foreach (var target in new[] { "dev", "staging", "production" })
        {
            var region = page.Find($"[data-testid=target-{target}] section[data-testid=sandbox-faults-{target}]");
            var heading = page.Find($"#{region.GetAttribute("aria-labelledby")}");
            Assert.Equal(("H3", "Sandbox faults"), (heading.TagName, TextOf(heading)));
            Assert.Contains("Sandbox only, for Admins", TextOf(region));
            Assert.Equal("Armed: none", TextOf(region.QuerySelector("[data-testid=faults-armed]")!));
            Assert.Equal(["Step to fail", "Post-migration check to fail"],
                region.QuerySelectorAll("[role=combobox]").Select(box => box.GetAttribute("aria-label")));
            Assert.Equal(["Step to fail", "Post-migration check to fail", "Batch to fail at, in the next data step"],
                region.QuerySelectorAll("label[for]").Where(label => region.QuerySelector($"#{label.GetAttribute("for")}") is not null).Select(TextOf));
            Assert.Equal("Fail its undo instead, when a rollback undoes that step", TextOf(region.QuerySelector("input[type=checkbox]")!.Closest("label")!));
            Assert.Equal(["Arm", "Clear all"], ButtonsIn(region).Where(b => b.Length > 0));
        }
    }

    [Theory]
    [InlineData("olga")]
    [InlineData("alice")]
    [InlineData("victor")]
    public void Nobody_but_an_Admin_sees_it(string name)
    {
        SignIn(TestPeople.All.Single(p => p.Name == name));

        var page = RenderDashboard();

        Assert.Equal(4, page.FindAll("[data-testid^=target-]").Count);
        Assert.Empty(page.FindComponents<SandboxFaultsPanel>());
        Assert.DoesNotContain("Sandbox faults", page.Markup);
    }

    [Fact]
    public void A_portal_against_MongoDB_never_shows_it_even_to_an_Admin()
    {
        Services.AddSingleton(new TargetRegistry(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Targets:offline:ConnectionString"] = "mongodb://127.0.0.1:1/?directConnection=true",
            ["Targets:offline:TimeoutSeconds"] = "1",
        }).Build(), sandbox: false, new LeaseOptions(), TimeProvider.System, NullLoggerFactory.Instance, TimeSpan.Zero));
        SignIn(Ada);

        var page = RenderDashboard();

        Assert.Single(page.FindAll("[data-testid^=target-]"));
        Assert.Empty(page.FindComponents<SandboxFaultsPanel>());
    }

    [Fact]
    public async Task An_Admin_arms_a_step_undo_a_post_check_and_a_batch_then_clears_them()
    {
        SignIn(Ada);
        var page = RenderDashboard();
        var panel = PanelOf(page, "dev");
        var step = (await Services.GetRequiredService<SandboxFaultChoices>().StepsAsync("dev", Token)).Steps[1];

        var offered = await ChooseAsync(panel, "Step to fail", step.Label);
        await Region(panel).QuerySelector("input[type=checkbox]")!.ChangeAsync(new ChangeEventArgs { Value = true });
        await ChooseAsync(panel, "Post-migration check to fail", "Schema version updated (post.schema-version)");
        await BatchField(panel).ChangeAsync(new ChangeEventArgs { Value = "2" });
        await ClickButtonAsync(Region(panel), "Arm");

        Assert.Equal("none", offered[0]);
        Assert.StartsWith("1.0.0/up/1 · ", offered[1]);
        var armed = new SandboxFaultSet($"{step.Key}/undo", "post.schema-version", 2);
        WaitForSnackbar($"Armed on dev: {armed.Describe()}. Each fires once.");
        Assert.Equal(armed, Faults.StateOf("dev").Armed);
        Assert.StartsWith($"Armed: {armed.Describe()} (by ada, ", TextOf(Region(panel).QuerySelector("[data-testid=faults-armed]")!));
        Assert.True(Faults.StateOf("staging").Armed.IsEmpty);

        await ClickButtonAsync(Region(panel), "Clear all");

        WaitForSnackbar("The sandbox faults of dev are cleared.");
        Assert.True(Faults.StateOf("dev").Armed.IsEmpty);
        Assert.Equal("Armed: none", TextOf(Region(panel).QuerySelector("[data-testid=faults-armed]")!));
        Assert.Equal(2, Services.GetRequiredService<RecordingAuditLog>().Records.Count(r => r.Action == AuditActions.SandboxFaultsChanged && r.User == "ada"));
    }

    [Fact]
    public async Task An_Admin_demoted_since_the_page_opened_is_refused_and_nothing_is_armed()
    {
        SignIn(Ada);
        var page = RenderDashboard();
        var panel = PanelOf(page, "dev");
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync("ada", Token))! with { Role = Role.Operator }, Token);

        await BatchField(panel).ChangeAsync(new ChangeEventArgs { Value = "2" });
        await ClickButtonAsync(Region(panel), "Arm");

        WaitForSnackbar("ada (Operator) may not arm or clear sandbox faults: it needs the Admin role.");
        Assert.True(Faults.StateOf("dev").Armed.IsEmpty);
        Assert.Contains(Services.GetRequiredService<RecordingAuditLog>().Records,
            r => r.Action == AuditActions.ActionRefused && r.User == "ada" && r.Role == "Operator" && r.Details.StartsWith("tried to change the sandbox faults of dev"));
    }

    [Fact]
    public async Task A_fault_that_fires_during_a_run_shows_as_fired_and_no_longer_armed()
    {
        Faults.Arm("dev", new SandboxFaultSet("1.0.0/up/2", Batch: 3), "ada");
        SignIn(Ada);
        var page = RenderDashboard();
        var panel = PanelOf(page, "dev");
        Assert.StartsWith("Armed: step 1.0.0/up/2, batch 3 of the next data step (by ada, ", TextOf(Region(panel).QuerySelector("[data-testid=faults-armed]")!));

        // As the run's job does, on its own thread.
        await Task.Run(() => Faults.TakeStep("dev", "1.0.0/up/2"), Token);

        panel.WaitForAssertion(() =>
        {
            Assert.StartsWith("Armed: batch 3 of the next data step (by ada, ", TextOf(Region(panel).QuerySelector("[data-testid=faults-armed]")!));
            Assert.EndsWith(": step 1.0.0/up/2", TextOf(Region(panel).QuerySelector("[data-testid=faults-fired]")!));
        }, Patience);
    }

    private static IElement Region(IRenderedComponent<SandboxFaultsPanel> panel) => panel.Find("section");

    private static IElement BatchField(IRenderedComponent<SandboxFaultsPanel> panel)
    {
        var label = panel.FindAll("label[for]").Single(l => TextOf(l) == "Batch to fail at, in the next data step");
        return panel.Find($"#{label.GetAttribute("for")}");
    }
}
