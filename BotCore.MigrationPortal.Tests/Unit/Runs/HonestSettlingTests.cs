using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Checks.Post;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// Each automated item settles on what it claims, not on something near it: monitoring on a run followed to its successful end,
/// the post-migration validation on everything that fails a run, indexes on index differences, nothing-to-check as not required,
/// and what a simulated target could not prove as simulated, never passed.
/// </summary>
public sealed class HonestSettlingTests
{
    private static Dictionary<string, string?> Fault(string key, string value) => new() { [$"Sandbox:Targets:dev:Faults:{key}"] = value };

    [Fact]
    public async Task A_run_whose_step_failed_has_not_monitored_its_migration_to_the_end_although_events_were_recorded()
    {
        using var portal = new PortalHarness(settings: Fault("FailStep", "1.0.0/up/2"));

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.RolledBack, run.State);
        // The fault's message is a sentence; inside the run's error it is a clause, so no "..".
        Assert.Contains("was told to fail (armed by configuration)", run.Error);
        Assert.DoesNotContain("..", run.Error);
        var monitored = run.Item(ChecklistTemplate.ProgressMonitored)!;
        Assert.Equal(ItemStatus.Failed, monitored.Status);
        Assert.StartsWith("The migration did not succeed (", monitored.Evidence);
        Assert.Contains("progress events recorded and streamed live to the run page up to where it stopped", monitored.Evidence);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.Executed)!.Status);
        // The validation never ran: its items stay open rather than pretend either way.
        Assert.All(new[] { ChecklistTemplate.PostValidation, ChecklistTemplate.VersionUpdated, ChecklistTemplate.IndexesVerified, ChecklistTemplate.DataIntegrity },
            id => Assert.Equal(ItemStatus.Open, run.Item(id)!.Status));
    }

    [Fact]
    public async Task A_blocking_post_check_fails_the_post_migration_validation_item_even_when_every_collection_matches()
    {
        using var portal = new PortalHarness(settings: Fault("FailPostCheck", TouchedCatalogCheck.Id));

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.RolledBack, run.State);
        Assert.All(run.Validation, v => Assert.True(v.Passed));
        var validation = run.Item(ChecklistTemplate.PostValidation)!;
        Assert.Equal(ItemStatus.Failed, validation.Status);
        Assert.Contains("; blocking: Touched collections match the expected catalog: Sandbox fault", validation.Evidence);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.ProgressMonitored)!.Status);
        // The indexes themselves are all there: that item says so.
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.IndexesVerified)!.Status);
    }

    [Fact]
    public async Task A_succeeded_sandbox_run_passes_what_it_proved_and_marks_what_it_could_not_prove_as_simulated()
    {
        using var portal = new PortalHarness();

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.ProgressMonitored)!.Status);
        Assert.StartsWith("Followed to its end: ", run.Item(ChecklistTemplate.ProgressMonitored)!.Evidence);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.VersionUpdated)!.Status);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.IndexesVerified)!.Status);
        Assert.Equal(ItemStatus.Simulated, run.Item(ChecklistTemplate.PostValidation)!.Status);
        Assert.Equal(ItemStatus.Simulated, run.Item(ChecklistTemplate.DataIntegrity)!.Status);
        Assert.Contains("simulated validate passes on critical collections: simulated: the sandbox has no storage engine", run.Item(ChecklistTemplate.DataIntegrity)!.Evidence);
        // The pre-migration validation ran no check on documents either.
        var pre = run.Item(ChecklistTemplate.PreValidation)!;
        Assert.Equal(ItemStatus.Simulated, pre.Status);
        Assert.Contains("simulated (could not run on a simulated target)", pre.Evidence);
        Assert.All(run.Checklist.Where(i => i.Status == ItemStatus.Simulated), i => Assert.True(i.IsSatisfied));
    }

    [Theory]
    [InlineData(new[] { CheckOutcome.Passed, CheckOutcome.Passed }, new[] { CheckSeverity.Blocking, CheckSeverity.Warning }, ItemStatus.Passed)]
    [InlineData(new[] { CheckOutcome.Passed, CheckOutcome.Simulated }, new[] { CheckSeverity.Blocking, CheckSeverity.Blocking }, ItemStatus.Simulated)]
    [InlineData(new[] { CheckOutcome.Failed, CheckOutcome.Passed }, new[] { CheckSeverity.Warning, CheckSeverity.Blocking }, ItemStatus.Passed)]
    [InlineData(new[] { CheckOutcome.Failed, CheckOutcome.Simulated }, new[] { CheckSeverity.Blocking, CheckSeverity.Blocking }, ItemStatus.Failed)]
    public void Checks_settle_an_item_failed_when_one_blocks_simulated_when_one_could_not_run_and_passed_only_when_all_ran(
        CheckOutcome[] outcomes, CheckSeverity[] severities, ItemStatus expected) =>
        Assert.Equal(expected, CheckSettling.StatusOf(outcomes.Select((o, i) =>
            new CheckResult($"c{i}", $"check {i}", CheckPhase.PostMigration, severities[i], o, "summary", [], TimeSpan.Zero))));
}
