using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Checks.Post;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// A run whose post-migration validation fails after its steps succeeded, through its job against a simulated target whose
/// post-migration check was armed to fail: rolled back at once (the default), left in place when the target's setting says so, and
/// a rollback that fails in turn.
/// </summary>
public sealed class FailedValidationRunTests
{
    private const string CatalogCheck = "Touched collections match the expected catalog";
    // As the run's error quotes it: the clause of a sentence.
    private const string CatalogFault = "Sandbox fault: post-migration check 'post.catalog' was told to fail (armed by configuration)";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Failing(string postCheck = TouchedCatalogCheck.Id) =>
        new() { ["Sandbox:Targets:dev:Faults:FailPostCheck"] = postCheck };

    [Fact]
    public async Task A_blocking_post_check_that_fails_rolls_the_run_back_to_where_it_started_and_names_the_check()
    {
        using var portal = new PortalHarness(settings: Failing());

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.RolledBack, run.State);
        Assert.Equal([RunState.Running, RunState.Validating, RunState.RollingBack, RunState.RolledBack], run.Transitions.Select(t => t.To).TakeLast(4));
        Assert.True(run.RollBackOnFailedValidation);
        Assert.StartsWith($"Post-migration validation failed: '{CatalogCheck}': {CatalogFault}. Rolled back at once, as the target's setting says: dev is at 0.0.0 again",
            run.Error);
        var dev = portal.Targets.Get("dev");
        var history = await dev.ReadHistoryAsync(Token);
        Assert.Equal(SchemaVersion.Zero, history.Applied);
        Assert.Equal([("1.0.0", ChangelogEntry.Applied), ("1.1.0", ChangelogEntry.Applied), ("1.1.0", ChangelogEntry.RolledBack), ("1.0.0", ChangelogEntry.RolledBack)],
            history.Changelog.Select(e => (e.Version, e.Status)));
        Assert.All(history.Changelog, e => Assert.Equal(run.Id, e.RunId));
        Assert.All(history.Changelog.Skip(2), e => Assert.StartsWith($"Post-migration validation failed: '{CatalogCheck}'", e.Error));
        Assert.Equal(SchemaCatalog.Empty, (await dev.ReadCatalogAsync(Token)).LeftBehindRemoved(SchemaCatalog.Empty));

        var events = (await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event).ToList();
        Assert.Contains(events, e => e is { Kind: RunEventKind.Validation, Passed: false, Level: RunEventLevel.Error } && e.Message == $"{CatalogCheck}: {CatalogFault}.");
        Assert.Contains(events, e => e is { Kind: RunEventKind.ValidationFinished, Passed: false });
        Assert.Contains(events, e => e is { Kind: RunEventKind.RollbackFinished, Passed: true });
        Assert.Equal(["Running", "Validating", "Rolling back"], events.Where(e => e.Kind == RunEventKind.StateChanged).Select(e => e.Message).SkipWhile(m => m != "Running").Take(3));

        // The evidence: the steps ran, then were undone; the failed check is where the checklist shows data integrity.
        Assert.Equal((ItemStatus.Passed, "up 0.0.0 → 1.1.0 completed under the target's lock, then was rolled back because its validation failed"),
            (run.Item(ChecklistTemplate.Executed)!.Status, run.Item(ChecklistTemplate.Executed)!.Evidence));
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.DataIntegrity)!.Status);
        Assert.Contains($"FAILED {CatalogCheck}", run.Item(ChecklistTemplate.DataIntegrity)!.Evidence);
        Assert.NotEmpty(run.Validation);
        // Nothing is left to undo by hand.
        Assert.DoesNotContain(RunAction.EmergencyRollback, RunRules.Allowed(run, Olga));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.RunStateChanged && r.RunId == run.Id
            && r.Details.StartsWith($"Failed its validation and rolled back: Post-migration validation failed: '{CatalogCheck}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drift_an_Admin_accepted_before_the_run_does_not_fail_its_validation_but_new_drift_would()
    {
        using var portal = new PortalHarness();
        var dev = portal.Targets.Get("dev");
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(dev, "1.0.0", cancellationToken: Token)).Succeeded);
        // A DBA dropped the TTL index of trades, which 1.1.0 does not touch: blocking drift, accepted for this run in writing.
        await ByHand.DropIndexAsync(dev, "trades", "idx_trades_ttl", Token);
        var run = await portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.NoDrift)!.Status);
        run = await portal.Runs.AcceptDriftAsync(Ada, run.Id, "the TTL is rebuilt by the nightly job", run.Revision, Token);
        Assert.Equal(ItemStatus.Overridden, run.Item(ChecklistTemplate.NoDrift)!.Status);
        run = await portal.ReadyForApprovalAsync(run);
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.ExecuteAsync(await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token));

        Assert.Equal(RunState.Succeeded, run.State);
        var trades = Assert.Single(run.Validation, v => v.Collection == "trades");
        Assert.True(trades.Passed);
        Assert.Contains("accepted in writing by ada before the run", trades.Summary);
    }

    [Fact]
    public async Task With_rolling_back_off_for_the_target_the_run_ends_failed_with_its_changes_in_place_and_offers_an_emergency_rollback()
    {
        using var portal = new PortalHarness(settings: new Dictionary<string, string?>(Failing()) { ["Sandbox:Targets:dev:RollBackOnFailedValidation"] = "false" });

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal([RunState.Running, RunState.Validating, RunState.Failed], run.Transitions.Select(t => t.To).TakeLast(3));
        Assert.False(run.RollBackOnFailedValidation);
        Assert.StartsWith($"Post-migration validation failed: '{CatalogCheck}': {CatalogFault}. Its changes are left in place", run.Error);
        var history = await portal.Targets.Get("dev").ReadHistoryAsync(Token);
        Assert.Equal(SchemaVersion.Parse("1.1.0"), history.Applied);
        Assert.All(history.Changelog, e => Assert.Equal(ChangelogEntry.Applied, e.Status));
        Assert.DoesNotContain(await portal.Events.ReadAsync(run.Id, 0, Token), e => e.Event.Kind == RunEventKind.RollbackStarted);
        Assert.Contains(RunAction.EmergencyRollback, RunRules.Allowed(run, Olga));
    }

    [Fact]
    public async Task When_undoing_a_run_whose_validation_failed_fails_too_manual_intervention_is_required()
    {
        using var portal = new PortalHarness(settings: new Dictionary<string, string?>(Failing()) { ["Sandbox:Targets:dev:Faults:FailStep"] = "1.0.0/up/1/undo" });

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.RollbackFailed, run.State);
        Assert.Equal([RunState.Validating, RunState.RollingBack, RunState.RollbackFailed], run.Transitions.Select(t => t.To).TakeLast(3));
        Assert.StartsWith($"Post-migration validation failed: '{CatalogCheck}': {CatalogFault}; rollback failed: ", run.Error);
        Assert.Contains("Sandbox fault: step 1.0.0/up/1/undo was told to fail (armed by configuration)", run.Error);
        Assert.DoesNotContain("..", run.Error);
        Assert.Contains((await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event),
            e => e.Kind == RunEventKind.RollbackFinished && e.Message.StartsWith("ROLLBACK FAILED, MANUAL INTERVENTION REQUIRED", StringComparison.Ordinal));
        Assert.Equal(SchemaVersion.Parse("1.0.0"), (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task A_post_check_that_fails_as_a_warning_is_shown_but_does_not_roll_the_run_back()
    {
        var services = new ServiceCollection().AddSandboxRuns();
        services.Replace(ServiceDescriptor.Singleton<IIntegrityChecks>(provider => new LostDocuments(ActivatorUtilities.CreateInstance<IntegrityChecks>(provider))));
        await using var provider = services.BuildServiceProvider();
        var portal = new PortalHarness(provider);

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.1.0"));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Null(run.Error);
        Assert.Equal(SchemaVersion.Parse("1.1.0"), (await portal.Targets.Get("dev").ReadHistoryAsync(Token)).Applied);
        var warning = Assert.Single((await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event), e => e is { Kind: RunEventKind.Validation, Passed: false });
        Assert.Equal((RunEventLevel.Warning, $"No documents lost: {LostDocuments.Summary}"), (warning.Level, warning.Message));
        // Not failed (a warning), not passed either: the sandbox could not run validate.
        Assert.Equal(ItemStatus.Simulated, run.Item(ChecklistTemplate.DataIntegrity)!.Status);
        Assert.Contains($"warning No documents lost: {LostDocuments.Summary}", run.Item(ChecklistTemplate.DataIntegrity)!.Evidence);
    }

    /// <summary>The portal's checks, with the document count check failing as the warning it is (a simulated database has no documents to lose).</summary>
    private sealed class LostDocuments(IIntegrityChecks checks) : IIntegrityChecks
    {
        public const string Summary = "1 collection has fewer documents than before the run";

        public IReadOnlyList<CheckDescriptor> Describe(MigrationPlan? plan) => checks.Describe(plan);

        public Task<IReadOnlyList<CheckResult>> RunPreMigrationAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
            checks.RunPreMigrationAsync(target, plan, cancellationToken);

        public Task<CollectionCounts> CountAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
            checks.CountAsync(target, plan, cancellationToken);

        public async Task<IReadOnlyList<CheckResult>> RunPostMigrationAsync(IMigrationTarget target, MigrationPlan plan, CollectionCounts before,
            CancellationToken cancellationToken) =>
            (await checks.RunPostMigrationAsync(target, plan, before, cancellationToken))
                .Select(r => r.CheckId == DocumentCountsCheck.Id ? r with { Outcome = CheckOutcome.Failed, Summary = Summary } : r)
                .ToList();

        public Task<CheckResult> RunOneAsync(string checkId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
            checks.RunOneAsync(checkId, target, plan, cancellationToken);
    }
}
