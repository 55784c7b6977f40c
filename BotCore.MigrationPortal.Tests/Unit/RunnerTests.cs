using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>The runner against the simulated target: state, changelog, rollback and its verification.</summary>
public sealed class RunnerTests
{
    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_to_the_latest_reaches_the_expected_catalog_and_records_each_migration()
    {
        var target = engine.Sandbox();
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal(engine.Registry.ExpectedCatalogAt(V("1.3.0")), await target.ReadCatalogAsync(Token));
        var history = await target.ReadHistoryAsync(Token);
        Assert.Equal(V("1.3.0"), history.Applied);
        Assert.Equal(["1.0.0", "1.1.0", "1.2.0", "1.3.0"], history.Changelog.Select(e => e.Version));
        Assert.All(history.Changelog, e => Assert.Equal((ChangelogEntry.Applied, "up", "tester"), (e.Status, e.Direction, e.AppliedBy)));
        var stepCount = engine.Registry.Migrations.Sum(m => m.Steps.Count);
        Assert.Equal(stepCount, progress.OfKind(RunEventKind.StepStarted).Count());
        Assert.Equal(stepCount, progress.OfKind(RunEventKind.StepFinished).Count(e => e.DurationMs is not null));
        Assert.Equal(RunEventKind.RunFinished, progress.Events[^1].Kind);
    }

    [Fact]
    public async Task Down_to_0_0_0_removes_everything_the_migrations_made_and_the_version_but_not_the_applications_collections()
    {
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);

        var result = await engine.MigrateAsync(target, "0.0.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        var left = await target.ReadCatalogAsync(Token);
        Assert.Equal(SchemaCatalog.Empty, left.LeftBehindRemoved(SchemaCatalog.Empty));
        Assert.Equal(["portfolio_history", "portfolio_snapshots", "positions"], left.Collections.Keys);
        var history = await target.ReadHistoryAsync(Token);
        Assert.Equal(["1.3.0", "1.2.0", "1.1.0", "1.0.0"], history.Changelog.Skip(4).Select(e => e.Version));
        Assert.All(history.Changelog.Skip(4), e => Assert.True(e.LeftUndone));
    }

    [Fact]
    public async Task A_failing_step_undoes_the_whole_run_and_records_the_failure()
    {
        var sandbox = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(sandbox, "1.0.0", cancellationToken: Token)).Succeeded);
        var before = await sandbox.ReadCatalogAsync(Token);
        var target = new FailingTarget(sandbox, step => step.Description.Contains("ai_signals.idx_ai_signals_id_unique"));
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.False(result.Cancelled);
        Assert.Contains("simulated failure", result.Error);
        var after = await sandbox.ReadCatalogAsync(Token);
        Assert.Equal(before, after.LeftBehindRemoved(before));
        Assert.NotNull(after.Find("portfolio_history"));
        var entries = (await sandbox.ReadHistoryAsync(Token)).Changelog.Skip(1).ToList();
        Assert.Equal(
            [("1.1.0", "up", ChangelogEntry.Applied), ("1.2.0", "up", ChangelogEntry.Failed), ("1.1.0", "up", ChangelogEntry.RolledBack)],
            entries.Select(e => (e.Version, e.Direction, e.Status)));
        Assert.Equal(V("1.0.0"), (await sandbox.ReadHistoryAsync(Token)).Applied);
        Assert.Single(progress.OfKind(RunEventKind.RollbackFinished), e => e.Passed == true);
        Assert.All(MigrationStatus.For(engine.Registry, await sandbox.ReadHistoryAsync(Token)).Skip(1),
            s => Assert.Contains(s.State, new[] { MigrationState.Pending, MigrationState.Failed }));
    }

    [Fact]
    public async Task A_rollback_that_cannot_undo_a_step_says_manual_intervention_is_required()
    {
        var sandbox = engine.Sandbox();
        // Creating ai_signals works; its index fails; dropping ai_signals on the way back fails too.
        var target = new FailingTarget(sandbox, step =>
            step.Description.Contains("idx_ai_signals_id_unique") || step is DropCollectionStep { Collection.Name: "ai_signals" });
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.2.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.RollbackFailed, result.Outcome);
        Assert.Contains("drop collection ai_signals", result.Error);
        Assert.Contains(progress.OfKind(RunEventKind.RollbackFinished), e => e.Message.Contains("MANUAL INTERVENTION REQUIRED"));
    }

    [Fact]
    public async Task Undoing_a_data_step_first_forgets_its_checkpoint_and_that_of_any_earlier_undo()
    {
        var sandbox = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(sandbox, "1.0.0", cancellationToken: Token)).Succeeded);
        var target = new FailingTarget(sandbox, step => step.Description.StartsWith("create one paper trading account"));

        var result = await engine.MigrateAsync(target, "1.1.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        var number = engine.Registry.Migrations.Single(m => m.Version == V("1.1.0")).Steps.ToList().FindIndex(step => step is CustomStep) + 1;
        // Both before the undo runs: a later run must not resume past what this undo takes back, nor this undo from where an earlier one stopped.
        Assert.Equal([$"1.1.0/up/{number}", $"1.1.0/up/{number}/undo"], target.ClearedCheckpoints.Take(2));
    }

    [Fact]
    public async Task A_completed_migration_whose_undo_fails_keeps_its_version_and_its_changelog_says_so()
    {
        var sandbox = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(sandbox, "1.0.0", cancellationToken: Token)).Succeeded);
        // 1.1.0 completes; 1.2.0 fails at its first index; undoing 1.1.0's paper_trading_accounts fails.
        var target = new FailingTarget(sandbox, step =>
            step.Description.Contains("idx_ai_signals_id_unique") || step is DropCollectionStep { Collection.Name: "paper_trading_accounts" });

        var result = await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.RollbackFailed, result.Outcome);
        Assert.Null(result.FinalVersion);
        var history = await sandbox.ReadHistoryAsync(Token);
        Assert.Equal(V("1.1.0"), history.Applied);
        var last = history.Changelog[^1];
        Assert.Equal(("1.1.0", "up", ChangelogEntry.Failed), (last.Version, last.Direction, last.Status));
        Assert.Contains("drop collection paper_trading_accounts", last.Error);
        Assert.Equal(MigrationState.Applied, MigrationStatus.For(engine.Registry, history).Single(s => s.Migration.Version == V("1.1.0")).State);
    }

    [Fact]
    public async Task A_run_reads_the_catalog_about_once_per_step_not_twice()
    {
        var target = new FailingTarget(engine.Sandbox(), _ => false);

        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);

        // The catalog read to check a schema step is the next step's starting point; only a data step or a new version reads again.
        Assert.InRange(target.CatalogReads, 1, engine.Registry.Migrations.Sum(m => m.Steps.Count) + engine.Registry.Migrations.Count);
    }

    [Fact]
    public async Task A_step_that_cannot_apply_is_not_undone_so_a_collection_the_run_did_not_create_survives()
    {
        var target = engine.Sandbox();
        // The application made its own users collection, without the spec's validator, before any migration.
        var theirs = new CreateCollectionStep(CollectionDefinition.Plain("users"));
        var reporter = new StepReporter(new RecordingProgress(), TimeProvider.System, "by-hand", "up", 1, 1);
        await target.ExecuteStepAsync(theirs, theirs.Apply(SchemaCatalog.Empty), new StepExecution("by-hand", "by-hand", reporter, new BatchOptions()), Token);
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.0.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Contains("already exists with other options", result.Error);
        Assert.Equal(CollectionDefinition.Plain("users"), (await target.ReadCatalogAsync(Token)).Find("users"));
        Assert.DoesNotContain(progress.OfKind(RunEventKind.StepStarted), e => e.Direction == "rollback");
    }

    [Fact]
    public async Task A_rollback_drops_a_created_collection_only_as_the_UUID_its_create_reported()
    {
        var created = Guid.NewGuid();
        var target = new UuidReportingTarget(engine.Sandbox(), created, fails: step => step.Description.Contains("ai_signals.idx_ai_signals_id_unique"));

        var result = await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        var undo = Assert.Single(target.Executed.OfType<DropCollectionStep>(), step => step.Collection.Name == "ai_signals");
        Assert.Equal(created, undo.CreatedAs);
    }

    [Fact]
    public void A_create_step_undoes_only_the_collection_it_created_and_its_plan_inverse_stays_the_plain_drop()
    {
        var step = new CreateCollectionStep(CollectionDefinition.Plain("ai_signals"));
        var created = Guid.NewGuid();

        var undo = Assert.IsType<DropCollectionStep>(step.Undo(SchemaCatalog.Empty, StepOutcome.Done("created") with { CreatedCollection = created }));
        var planned = Assert.IsType<DropCollectionStep>(step.Inverse(SchemaCatalog.Empty));

        Assert.Equal(created, undo.CreatedAs);
        Assert.Null(planned.CreatedAs);
    }

    [Fact]
    public void Undoing_added_fields_removes_only_values_still_at_their_default()
    {
        var add = new AddFieldsStep("positions", MongoDB.Bson.BsonDocument.Parse("{ \"metadata.correlation_score\": 0.0 }"));

        var undo = Assert.IsType<RemoveFieldsStep>(add.Inverse(engine.Registry.ExpectedCatalogAt(V("1.2.0"))));

        Assert.True(undo.OnlyWhereDefault);
        Assert.Equal(MongoDB.Bson.BsonDocument.Parse("{ \"metadata.correlation_score\": 0.0 }"), undo.Fields);
        Assert.Contains("still hold their defaults", undo.Description);
    }

    [Fact]
    public async Task Cancelling_stops_at_the_next_step_and_rolls_back()
    {
        var target = engine.Sandbox();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var progress = new RecordingProgress(e =>
        {
            if (e is { Kind: RunEventKind.StepFinished, Version: "1.1.0" }) cancel.Cancel();
        });

        var result = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: cancel.Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.True(result.Cancelled);
        Assert.Equal(SchemaCatalog.Empty, await target.ReadCatalogAsync(Token));
        Assert.Single(progress.OfKind(RunEventKind.StepFinished), e => e is { Version: "1.1.0", Direction: "up" });
    }

    [Fact]
    public async Task A_plan_made_before_someone_else_migrated_the_target_is_refused()
    {
        var target = engine.Sandbox();
        var stalePlan = engine.Planner.Plan(V("0.0.0"), V("1.1.0"));
        Assert.True((await engine.MigrateAsync(target, "1.0.0", cancellationToken: Token)).Succeeded);

        var refused = await Assert.ThrowsAsync<RunNotStartedException>(() =>
            engine.Runner.RunAsync(target, stalePlan, EngineHarness.Request(), new RecordingProgress(), Token));

        Assert.IsType<PlanRefusedException>(refused.InnerException);
        Assert.Contains("is at 1.0.0", refused.Message);
        Assert.Contains("Plan again", refused.Message);
    }

    [Fact]
    public async Task A_run_is_refused_while_another_holds_the_target()
    {
        var target = engine.Sandbox();
        await using var other = await target.AcquireLeaseAsync(new LeaseHolder("other-run", "bob"), Token);

        var refused = await Assert.ThrowsAsync<RunNotStartedException>(() => engine.MigrateAsync(target, "1.3.0", cancellationToken: Token));

        Assert.Equal("other-run", Assert.IsType<TargetLockedException>(refused.InnerException).Holder.RunId);
        Assert.Equal(SchemaCatalog.Empty, await target.ReadCatalogAsync(Token));
        // The run never began: the other run's lease is still held, not released by the refused one.
        await Assert.ThrowsAsync<TargetLockedException>(() => target.AcquireLeaseAsync(new LeaseHolder("third-run", "carl"), Token));
    }

    [Fact]
    public async Task Data_steps_in_the_sandbox_report_that_they_saw_no_documents()
    {
        var target = engine.Sandbox();
        var progress = new RecordingProgress();

        await engine.MigrateAsync(target, "1.1.0", progress, cancellationToken: Token);

        var dataStep = Assert.Single(progress.OfKind(RunEventKind.StepFinished), e => e is { Version: "1.1.0", StepIndex: 7 });
        Assert.Contains("0 documents", dataStep.Message);
        Assert.Contains(progress.OfKind(RunEventKind.Log), e => e.Level == RunEventLevel.Warning && e.Message.Contains("processed 0 documents"));
    }

    /// <summary>A simulated target whose collection creates report a UUID, as MongoDB's do; it keeps every step it was asked to execute.</summary>
    private sealed class UuidReportingTarget(IMigrationTarget inner, Guid uuid, Func<IMigrationStep, bool> fails) : ForwardingTarget(new FailingTarget(inner, fails))
    {
        public List<IMigrationStep> Executed { get; } = [];

        public override async Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken)
        {
            Executed.Add(step);
            var outcome = await base.ExecuteStepAsync(step, expectedAfter, execution, cancellationToken);
            return step is CreateCollectionStep ? outcome with { CreatedCollection = uuid } : outcome;
        }
    }
}
