using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Checks.Post;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;
using static BotCore.MigrationPortal.Tests.Unit.Sandbox.SandboxFaultTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Sandbox;

/// <summary>
/// Sandbox faults in the portal as it composes them: armed by an Admin (and refused to anyone else, audited either way) or
/// by configuration, and seen through a run's job: a failed post-migration check, a rollback, a failed rollback.
/// </summary>
public sealed class SandboxFaultPortalTests : IDisposable
{
    private readonly List<ServiceProvider> portals = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_Admin_arms_and_clears_faults_and_each_change_is_audited()
    {
        var portal = Portal();
        var requests = portal.Services.GetRequiredService<SandboxFaultRequests>();

        var armed = await requests.ArmAsync(Ada, "DEV", new SandboxFaultSet("1.3.0/UP/2", " post.catalog ", 2), Token);
        await requests.ArmAsync(Ada, "dev", SandboxFaultSet.None, Token);

        Assert.Equal(new SandboxFaultSet("1.3.0/up/2", "post.catalog", 2), armed);
        Assert.True(Faults(portal).StateOf("dev").Armed.IsEmpty);
        Assert.Equal(
        [
            ("ada", "Admin", "dev", "armed sandbox faults on dev: step 1.3.0/up/2, post-migration check 'post.catalog', batch 2 of the next data step; each fires once, then clears itself"),
            ("ada", "Admin", "dev", "cleared the sandbox faults of dev"),
        ], portal.Audit.Records.Where(r => r.Action == AuditActions.SandboxFaultsChanged).Select(r => (r.User, r.Role, r.Target, r.Details)));
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("olga")]
    public async Task Anyone_but_an_Admin_is_refused_the_refusal_is_audited_and_nothing_is_armed(string name)
    {
        var portal = Portal();
        var person = TestPeople.All.Single(p => p.Name == name);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Services.GetRequiredService<SandboxFaultRequests>().ArmAsync(person, "dev", new SandboxFaultSet(Batch: 1), Token));

        Assert.Equal($"{name} ({person.Role}) may not arm or clear sandbox faults: it needs the Admin role.", refused.Message);
        Assert.True(Faults(portal).StateOf("dev").Armed.IsEmpty);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == name && r.Target == "dev"
            && r.Details.StartsWith("tried to change the sandbox faults of dev: "));
        Assert.DoesNotContain(portal.Audit.Records, r => r.Action == AuditActions.SandboxFaultsChanged);
    }

    [Fact]
    public async Task A_check_no_run_would_run_or_an_unknown_target_is_refused()
    {
        var requests = Portal().Services.GetRequiredService<SandboxFaultRequests>();

        var check = await Assert.ThrowsAsync<BadInputException>(() => requests.ArmAsync(Ada, "dev", new SandboxFaultSet(PostCheck: "post.nothing"), Token));
        var target = await Assert.ThrowsAsync<BadInputException>(() => requests.ArmAsync(Ada, "qa", new SandboxFaultSet(Batch: 1), Token));

        Assert.StartsWith("There is no post-migration check 'post.nothing': name one the Integrity checks page lists", check.Message);
        Assert.Equal("There is no target 'qa'. Configured targets: dev, staging, legacy, production.", target.Message);
    }

    [Fact]
    public void The_faults_name_every_post_migration_check_a_run_validates_with()
    {
        var portal = Portal();
        var choices = portal.Services.GetRequiredService<SandboxFaultChoices>();

        Assert.Equal(
            ["post.schema-version", "post.catalog", "post.validate", "post.document-counts", "post.confidence-range"],
            choices.PostChecks.Select(c => c.Id).Take(5));
        Assert.All(choices.PostChecks, c => Assert.Equal(CheckPhase.PostMigration, c.Phase));
        Assert.Contains(choices.PostChecks, c => c.Id.StartsWith(CriticalQueryIndexCheck.IdPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_step_choices_are_the_pending_migrations_up_steps_then_the_applied_ones_down_steps()
    {
        var portal = Portal();
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(portal.Targets.Get("dev"), "1.2.0", cancellationToken: Token)).Succeeded);

        var steps = await portal.Services.GetRequiredService<SandboxFaultChoices>().StepsAsync("dev", Token);

        Assert.Null(steps.Problem);
        var keys = steps.Steps.Select(s => s.Key).ToList();
        var count130 = portal.Registry.Find(EngineHarness.V("1.3.0"))!.Steps.Count;
        Assert.Equal(Enumerable.Range(1, count130).Select(n => $"1.3.0/up/{n}"), keys.TakeWhile(k => k.StartsWith("1.3.0/up/")));
        Assert.Equal(["1.2.0", "1.1.0", "1.0.0"], keys.Skip(count130).Select(k => k.Split('/')[0]).Distinct());
        Assert.All(keys.Skip(count130), k => Assert.Contains("/down/", k));
        Assert.StartsWith("1.3.0/up/1 · ", steps.Steps[0].Label);
    }

    [Fact]
    public async Task An_armed_post_check_fails_a_runs_validation_once_as_blocking_and_says_it_is_a_sandbox_fault()
    {
        var portal = Portal();
        var dev = portal.Targets.Get("dev");
        var engine = new EngineHarness(portal.Registry);
        Assert.True((await engine.MigrateAsync(dev, "1.0.0", cancellationToken: Token)).Succeeded);
        var checks = portal.Services.GetRequiredService<IIntegrityChecks>();
        var plan = engine.Planner.Plan(SchemaVersion.Zero, EngineHarness.V("1.0.0"));
        var counts = await checks.CountAsync(dev, plan, Token);
        // The document count check is only a warning: faulted, it blocks.
        Faults(portal).Arm("dev", new SandboxFaultSet(PostCheck: "post.document-counts"), "ada");

        var onDemand = await checks.RunOneAsync("post.document-counts", dev, plan, Token);
        var faulted = await checks.RunPostMigrationAsync(dev, plan, counts, Token);
        var next = await checks.RunPostMigrationAsync(dev, plan, counts, Token);

        Assert.Equal(CheckOutcome.Simulated, onDemand.Outcome);
        var failed = Assert.Single(faulted, r => r.Failed);
        Assert.Equal(("post.document-counts", CheckSeverity.Blocking, true), (failed.CheckId, failed.Severity, failed.Blocks));
        Assert.Equal("Sandbox fault: post-migration check 'post.document-counts' was told to fail (armed by ada).", failed.Summary);
        Assert.StartsWith("Not a finding: the check did not run. This is a sandbox fault armed on dev by ada at ", Assert.Single(failed.Evidence));
        Assert.All(next, r => Assert.False(r.Failed, r.Summary));
    }

    [Fact]
    public async Task A_post_check_armed_by_configuration_stops_a_run_in_its_validation()
    {
        var portal = Portal(new() { ["Sandbox:Targets:dev:Faults:FailPostCheck"] = "post.schema-version" });

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.NotEqual(RunState.Succeeded, run.State);
        Assert.Contains("Sandbox fault: post-migration check 'post.schema-version' was told to fail (armed by configuration).", run.Error);
    }

    [Fact]
    public async Task A_step_armed_by_configuration_fails_the_run_which_is_rolled_back()
    {
        var portal = Portal(new() { ["Sandbox:Targets:dev:Faults:FailStep"] = "1.1.0/up/1" });

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.RolledBack, run.State);
        Assert.Contains("Sandbox fault: step 1.1.0/up/1 was told to fail (armed by configuration)", run.Error);
        Assert.DoesNotContain("..", run.Error);
        Assert.Equal(SchemaVersion.Zero, (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task A_batch_and_an_undo_armed_by_configuration_end_the_run_in_rollback_failed()
    {
        // The batch fault fails the first data step of the run (in 1.1.0), and the rollback then stops at the undo of 1.0.0's first step.
        var portal = Portal(new()
        {
            ["Sandbox:Targets:dev:Faults:FailBatch"] = "1",
            ["Sandbox:Targets:dev:Faults:FailStep"] = "1.0.0/up/1/undo",
        });

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.3.0"));

        Assert.Equal(RunState.RollbackFailed, run.State);
        Assert.Contains("Sandbox fault: batch 1 of step 1.1.0/up/", run.Error);
        Assert.Contains("Sandbox fault: step 1.0.0/up/1/undo was told to fail (armed by configuration)", run.Error);
        Assert.DoesNotContain("..", run.Error);
    }

    private PortalHarness Portal(Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection().AddSandboxRuns(settings).BuildServiceProvider();
        portals.Add(services);
        return new PortalHarness(services);
    }

    private static SandboxFaults Faults(PortalHarness portal) => portal.Services.GetRequiredService<SandboxFaults>();

    public void Dispose()
    {
        foreach (var portal in portals) portal.Dispose();
    }
}
