using AngleSharp.Dom;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages;
using BotCore.MigrationPortal.Components.Pages.Doctor;
using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Doctor;

/// <summary>The doctor on each dashboard card: the last check-up, and "Check target" for anyone signed in, audited, as the store knows them at the click.</summary>
public sealed class DoctorPanelTests : PortalPageContext
{
    private DoctorResults Results => Services.GetRequiredService<DoctorResults>();

    private RecordingAuditLog Audit => Services.GetRequiredService<RecordingAuditLog>();

    private IRenderedComponent<Dashboard> RenderDashboard()
    {
        var page = RenderPage<Dashboard>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Patience);
        return page;
    }

    private static IElement Panel(IRenderedComponent<Dashboard> page, string target) => page.Find($"[data-testid=target-{target}] [data-testid=doctor-{target}]");

    [Fact]
    public void Each_card_has_a_doctor_region_not_checked_yet_with_the_button()
    {
        var page = RenderDashboard();

        foreach (var target in new[] { "dev", "staging", "production", "legacy" })
        {
            var panel = Panel(page, target);
            Assert.Equal("Doctor", TextOf(page.Find($"#{panel.GetAttribute("aria-labelledby")}")));
            Assert.Equal("not checked yet", TextOf(panel.QuerySelector("[data-testid=doctor-summary]")!));
            Assert.Contains("Check target", ButtonsIn(panel));
        }
    }

    [Fact]
    public async Task A_Viewer_checks_a_target_sees_every_line_and_the_check_is_audited()
    {
        SignIn(Victor);
        var page = RenderDashboard();

        await ClickButtonAsync(Panel(page, "dev"), "Check target");

        WaitForSnackbar("dev checked: 9 passed, 0 warnings, 0 failures.");
        page.WaitForAssertion(() => Assert.Equal("9 passed, 0 warnings, 0 failures", TextOf(Panel(page, "dev").QuerySelector("[data-testid=doctor-summary]")!)), Patience);
        Assert.EndsWith("by victor", TextOf(Panel(page, "dev").QuerySelector("[data-testid=doctor-when]")!));
        var rows = Panel(page, "dev").QuerySelectorAll("tr[data-testid^=doctor-line-]");
        Assert.Equal(9, rows.Length);
        Assert.StartsWith("PASS Server version: simulated: ", TextOf(rows[0]));
        Assert.Equal("victor", Results.LastOf("dev")!.CheckedBy);
        Assert.Null(Results.LastOf("staging"));
        var entry = Assert.Single(Audit.Records, r => r.Action == AuditActions.TargetChecked);
        Assert.Equal(("victor", "Viewer", "dev", "doctor: 9 passed, 0 warnings, 0 failures"), (entry.User, entry.Role, entry.Target, entry.Details));
    }

    [Fact]
    public async Task A_person_disabled_since_the_page_opened_is_refused_and_nothing_is_checked()
    {
        SignIn(Victor);
        var page = RenderDashboard();
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync("victor", Token))! with { Disabled = true }, Token);

        await ClickButtonAsync(Panel(page, "dev"), "Check target");

        WaitForSnackbar("The account 'victor' is disabled.");
        Assert.Null(Results.LastOf("dev"));
        Assert.DoesNotContain(Audit.Records, r => r.Action == AuditActions.TargetChecked);
        Assert.Contains(Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == "victor" && r.Details.StartsWith("tried to check target dev"));
    }

    [Fact]
    public void The_start_up_check_up_shows_on_the_card_when_it_arrives_with_what_to_do()
    {
        var page = RenderDashboard();
        var dev = Services.GetRequiredService<TargetRegistry>().Describe("dev");

        Results.Record(new DoctorReport(dev, new DateTimeOffset(2026, 1, 2, 12, 0, 0, TimeSpan.Zero), DoctorAtStartup.CheckedBy,
            [DoctorLine.Pass("server", "Server version", "MongoDB 7.0.14, featureCompatibilityVersion 7.0"),
             DoctorLine.Fail("clock", "Clock skew", "the server's clock is 400.0 s ahead of this machine's (±20 ms), more than 5 minutes",
                 "Synchronise both machines with NTP (timedatectl set-ntp true, or chrony).")]));

        page.WaitForAssertion(() =>
        {
            var panel = Panel(page, "dev");
            Assert.Equal("1 passed, 0 warnings, 1 failure", TextOf(panel.QuerySelector("[data-testid=doctor-summary]")!));
            Assert.Equal("2026-01-02 12:00:00Z by portal start-up", TextOf(panel.QuerySelector("[data-testid=doctor-when]")!));
            Assert.Contains("FAIL Clock skew: the server's clock is 400.0 s ahead", TextOf(panel.QuerySelector("[data-testid=doctor-line-clock]")!));
            Assert.Contains("Synchronise both machines with NTP", TextOf(panel.QuerySelector("[data-testid=doctor-line-clock]")!));
        }, Patience);
        Assert.Equal("not checked yet", TextOf(Panel(page, "staging").QuerySelector("[data-testid=doctor-summary]")!));
        Assert.Single(page.FindComponents<DoctorPanel>(), p => p.Instance.Target.Name == "dev");
    }
}
