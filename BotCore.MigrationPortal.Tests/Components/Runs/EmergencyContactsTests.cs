using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using Bunit;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;
using ContactsPanel = BotCore.MigrationPortal.Components.Pages.Runs.EmergencyContacts;
using PortalHarness = BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// The emergency contacts on a run that failed, is rolling back or whose rollback failed: those configured for its tier, else the
/// spec's roles marked as not configured; the restore SLA, the run's restores against it and its backup's projected restore time.
/// </summary>
public sealed class EmergencyContactsTests : PortalPageContext
{
    private readonly string location;

    public EmergencyContactsTests() : this(Path.Combine(Path.GetTempPath(), "botcore-backup-tests", Guid.NewGuid().ToString("N")))
    {
    }

    private EmergencyContactsTests(string location) : base(BackupTestServices.Settings(location).Concat(new Dictionary<string, string?>
    {
        ["Portal:EmergencyContacts:Production:0:Role"] = "DBA on-call",
        ["Portal:EmergencyContacts:Production:0:Name"] = "Dora Data",
        ["Portal:EmergencyContacts:Production:0:Reach"] = "+41 79 000 00 00",
        ["Portal:EmergencyContacts:Production:1:Role"] = "DevOps lead",
        ["Portal:EmergencyContacts:Production:1:Name"] = "Dev Ops",
        ["Portal:EmergencyContacts:Production:1:Reach"] = "#ops-oncall",
    }).ToDictionary()) => this.location = location;

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (Directory.Exists(location)) Directory.Delete(location, recursive: true);
    }

    private static MigrationRun Run(RunState state, TargetTier tier = TargetTier.Production, string target = "production") => new()
    {
        Id = "run-7", Target = target, Tier = tier, From = SchemaVersion.Parse("1.0.0"), To = SchemaVersion.Parse("1.1.0"), Checksums = [],
        RequestedBy = "olga", State = state, Error = "Post-migration validation failed.",
    };

    private IRenderedComponent<ContactsPanel> RenderContacts(MigrationRun run)
    {
        var panel = Render<ContactsPanel>(p => p.Add(x => x.Run, run));
        return panel;
    }

    [Theory]
    [InlineData(RunState.Failed)]
    [InlineData(RunState.RollingBack)]
    [InlineData(RunState.RollbackFailed)]
    public void A_failed_or_rolling_back_run_shows_the_contacts_configured_for_its_tier_and_the_restore_SLA(RunState state)
    {
        var panel = RenderContacts(Run(state));

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=emergency-contacts]")), Patience);
        Assert.Equal("Emergency contacts for Production", TextOf(panel.Find("h2")));
        Assert.Equal(["DBA on-call: Dora Data, +41 79 000 00 00", "DevOps lead: Dev Ops, #ops-oncall"], panel.FindAll("[data-testid=emergency-contact]").Select(TextOf));
        Assert.Equal("Backup/restore SLA: 2 h 00 min.", TextOf(panel.Find("[data-testid=restore-sla]")));
    }

    [Fact]
    public void A_tier_without_contacts_shows_the_specs_roles_as_not_configured()
    {
        var panel = RenderContacts(Run(RunState.Failed, TargetTier.Staging, "staging"));

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=emergency-contact]").Count), Patience);
        Assert.Equal(
            ["DBA on-call: not configured (set Portal:EmergencyContacts:Staging in the portal's configuration)",
                "DevOps lead: not configured (set Portal:EmergencyContacts:Staging in the portal's configuration)"],
            panel.FindAll("[data-testid=emergency-contact]").Select(TextOf));
    }

    [Fact]
    public async Task The_run_page_shows_them_under_the_failed_runs_error()
    {
        var failed = await new PortalHarness(Services).FailedRunLeftAppliedAsync("production", "1.0.0", "1.1.0");

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, failed.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=emergency-contacts]")), Patience);
        Assert.Equal("emergency-contacts", page.Find("[data-testid=run-error]").NextElementSibling!.GetAttribute("data-testid"));
        Assert.Contains("DBA on-call: Dora Data, +41 79 000 00 00", TextOf(page.Find("[data-testid=emergency-contacts]")));
    }

    [Theory]
    [InlineData(RunState.Succeeded)]
    [InlineData(RunState.RolledBack)]
    [InlineData(RunState.Running)]
    [InlineData(RunState.AwaitingApproval)]
    public void Other_runs_show_no_contacts(RunState state) =>
        Assert.Empty(RenderContacts(Run(state)).FindAll("[data-testid=emergency-contacts]"));

    [Fact]
    public async Task The_runs_restores_show_their_duration_against_the_SLA_and_its_backup_its_projected_restore_time()
    {
        var backups = new BackupHarness(Services);
        await backups.MigrateAsync("production", "1.1.0");
        var backup = await backups.Backups.CreateAsync(Olga, "production", null, "run-7", new RecordingProgress(), Token);
        await backups.Backups.VerifyAsync(Olga, backup.Id, new RecordingProgress(), Token);
        var at = DateTime.UtcNow;
        await backups.Store.UpdateAsync(backup.Id, m => m with
        {
            Verification = m.Verification! with { StartedAt = m.Verification.At - TimeSpan.FromMinutes(30) },
            Restores = [new BackupRestore($"restore-{backup.Id}-1", "ada", at, RestoreStatus.Succeeded, at + TimeSpan.FromHours(2.5)) { StartedAt = at, ForRun = "run-7" }],
        }, Token);

        var panel = RenderContacts(Run(RunState.RollbackFailed));

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=run-restore-duration]")), Patience);
        Assert.Equal($"Restore restore-{backup.Id}-1 of backup {backup.Id}: took 2 h 30 min, OVER the 2 h 00 min restore SLA.",
            TextOf(panel.Find("[data-testid=run-restore-duration]")));
        // The restore (2.5 h) is slower than the verification (30 min): the projection takes the slowest.
        Assert.StartsWith($"Restoring backup {backup.Id} is projected to take 2 h 30 min", TextOf(panel.Find("[data-testid=restore-projection]")));
        Assert.EndsWith("OVER the SLA.", TextOf(panel.Find("[data-testid=restore-projection]")));
    }
}
