using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>
/// The runner's rule for a run's validation, as the spec's safelyRunMigration has it: validated under the lease once the steps
/// succeeded, and a failure undone by the same rollback as a failing step, unless the request says to leave it in place.
/// </summary>
public sealed class RunnerValidationTests
{
    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failed_validation_is_undone_by_the_rollback_of_a_failing_step_and_named_as_the_reason()
    {
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);
        var before = await target.ReadCatalogAsync(Token);
        var validation = new StubValidation(_ => [new FailedCheck("Critical query uses an index", "the winning plan scans the collection itself")]);
        var progress = new RecordingProgress();

        var result = await RunAsync(target, "1.2.0", validation, progress);

        const string reason = "Post-migration validation failed: 'Critical query uses an index': the winning plan scans the collection itself";
        Assert.Equal((RunOutcome.RolledBack, V("1.0.0"), reason, false), (result.Outcome, result.FinalVersion, result.Error, result.Cancelled));
        Assert.Equal(validation.Failed, result.FailedChecks);
        // Validated once, at the end, while the plan's versions were in place.
        Assert.Equal([V("1.2.0")], validation.SawVersions);
        Assert.Equal(before, (await target.ReadCatalogAsync(Token)).LeftBehindRemoved(before));
        var history = await target.ReadHistoryAsync(Token);
        Assert.Equal(V("1.0.0"), history.Applied);
        Assert.Equal([("1.1.0", ChangelogEntry.Applied), ("1.2.0", ChangelogEntry.Applied), ("1.2.0", ChangelogEntry.RolledBack), ("1.1.0", ChangelogEntry.RolledBack)],
            history.Changelog.Skip(1).Select(e => (e.Version, e.Status)));
        Assert.All(history.Changelog.Skip(3), e => Assert.Equal(reason, e.Error));
        // No step failed: the run log says the validation did, then undoes every step this run changed.
        Assert.Empty(progress.OfKind(RunEventKind.StepFailed));
        var kinds = progress.Events.Select(e => e.Kind).Where(k => k is not (RunEventKind.StepStarted or RunEventKind.StepFinished or RunEventKind.Log or RunEventKind.BatchProgress)).ToList();
        Assert.Equal([RunEventKind.ValidationStarted, RunEventKind.ValidationFinished, RunEventKind.RollbackStarted, RunEventKind.RollbackFinished, RunEventKind.RunFinished],
            kinds.SkipWhile(k => k != RunEventKind.ValidationStarted));
        Assert.Single(progress.OfKind(RunEventKind.ValidationFinished), e => e is { Passed: false, Level: RunEventLevel.Error, Message: reason });
        Assert.Single(progress.OfKind(RunEventKind.RollbackFinished), e => e.Passed == true);
        Assert.Contains(progress.OfKind(RunEventKind.StepStarted), e => e.Direction == "rollback");
    }

    [Fact]
    public async Task With_rolling_back_off_a_failed_validation_leaves_the_changes_in_place()
    {
        var target = engine.Sandbox();
        var progress = new RecordingProgress();

        var result = await RunAsync(target, "1.1.0", new StubValidation(_ => [new FailedCheck("Schema version updated", "the schema version is 1.0.0")]), progress,
            rollBack: false);

        Assert.Equal((RunOutcome.ValidationFailed, V("1.1.0")), (result.Outcome, result.FinalVersion));
        Assert.Equal("Post-migration validation failed: 'Schema version updated': the schema version is 1.0.0", result.Error);
        Assert.Equal(engine.Registry.ExpectedCatalogAt(V("1.1.0")), await target.ReadCatalogAsync(Token));
        Assert.All((await target.ReadHistoryAsync(Token)).Changelog, e => Assert.Equal(ChangelogEntry.Applied, e.Status));
        Assert.Empty(progress.OfKind(RunEventKind.RollbackStarted));
        Assert.Contains("left in place", Assert.Single(progress.OfKind(RunEventKind.RunFinished), e => e.Passed == false).Message);
    }

    [Fact]
    public async Task A_validation_that_cannot_run_has_not_passed_and_is_rolled_back()
    {
        var target = engine.Sandbox();

        var result = await RunAsync(target, "1.0.0", new StubValidation(_ => throw new TargetUnreachableException("Target 'sandbox' does not answer.")),
            new RecordingProgress());

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Equal([new FailedCheck("Post-migration validation", "could not run: Target 'sandbox' does not answer")], result.FailedChecks);
        Assert.Equal(SchemaCatalog.Empty, (await target.ReadCatalogAsync(Token)).LeftBehindRemoved(SchemaCatalog.Empty));
    }

    [Fact]
    public async Task A_passed_validation_ends_the_run_as_succeeded_after_it()
    {
        var target = engine.Sandbox();
        var progress = new RecordingProgress();

        var result = await RunAsync(target, "1.1.0", new StubValidation(_ => []), progress);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Empty(result.FailedChecks);
        Assert.Equal([RunEventKind.ValidationStarted, RunEventKind.ValidationFinished, RunEventKind.RunFinished], progress.Events.Select(e => e.Kind).TakeLast(3));
    }

    private async Task<RunResult> RunAsync(IMigrationTarget target, string to, StubValidation validation, RecordingProgress progress, bool rollBack = true)
    {
        var history = await target.ReadHistoryAsync(Token);
        var plan = engine.Planner.Plan(history.Applied, V(to), history);
        return await engine.Runner.RunAsync(target, plan, Request() with { Validation = validation, RollBackOnFailedValidation = rollBack }, progress, Token);
    }

    /// <summary>A validation that answers what it is told, and notes the version it found each time it ran.</summary>
    private sealed class StubValidation(Func<MigrationPlan, IReadOnlyList<FailedCheck>> answer) : IRunValidation
    {
        public List<Engine.SchemaVersion> SawVersions { get; } = [];

        public IReadOnlyList<FailedCheck> Failed { get; private set; } = [];

        public async Task<IReadOnlyList<FailedCheck>> ValidateAsync(IMigrationTarget target, MigrationPlan plan, IProgress<RunEvent> progress,
            CancellationToken cancellationToken)
        {
            SawVersions.Add((await target.ReadHistoryAsync(cancellationToken)).Applied);
            return Failed = answer(plan);
        }
    }
}
