using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotCore.MigrationPortal.Tests.Unit.Fixes;

/// <summary>
/// What the fix runner says and journals when its step leaves documents the validator refused, and when the step stops after
/// batches that were committed: on the sandbox, with a target double standing in for what MongoDB did (the MongoDB side is
/// FixIntegrationTests').
/// </summary>
public sealed class FixRunnerOutcomeTests
{
    private readonly EngineHarness engine = new();
    private readonly FixRunner runner = new(TimeProvider.System, NullLogger<FixRunner>.Instance);
    private readonly RegisteredFix fix = FixRegistry.FromAssembly(typeof(Migration).Assembly).Get("2026-12-02-trades-missing-status");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<IMigrationTarget> SandboxAt100Async()
    {
        var sandbox = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(sandbox, "1.0.0", cancellationToken: Token)).Succeeded);
        return sandbox;
    }

    [Fact]
    public async Task Documents_the_validator_refused_fail_the_validation_with_why_and_what_helps_and_the_fixed_ones_are_journalled()
    {
        var target = new RefusingTarget(await SandboxAt100Async(), refused: 2);

        var result = await runner.RunAsync(target, fix, new FixRunRequest("r-1", "olga, approved by bob", new BatchOptions(100, 0)), new RecordingProgress(), Token);

        Assert.False(result.Succeeded);
        Assert.Equal((40L, 2L), (result.DocumentsChanged, result.Remaining));
        Assert.Contains("2 documents left: the validator of trades refuses them: _id 7, 9", result.Summary);
        Assert.Contains("2 documents of trades still need the fix (2 documents refused by the validator of trades, named above: correct them so that they pass " +
            "the validator, then run the fix again to fix them", result.Error);
        Assert.Equal((FixJournalEntry.Applied, 40L), (await target.ReadFixJournalAsync(Token)).Select(e => (e.Action, e.DocumentsChanged)).Single());
    }

    [Fact]
    public async Task A_stopped_run_journals_the_documents_its_committed_batches_changed_and_forgets_its_checkpoints()
    {
        var target = new StoppingTarget(await SandboxAt100Async(), committed: 500);

        var result = await runner.RunAsync(target, fix, new FixRunRequest("r-1", "olga, approved by bob", new BatchOptions(100, 0)), new RecordingProgress(), Token);

        Assert.False(result.Succeeded);
        Assert.Equal(500, result.DocumentsChanged);
        Assert.Contains("500 documents fixed so far stay fixed", result.Error);
        Assert.Equal((FixJournalEntry.Stopped, 500L), (await target.ReadFixJournalAsync(Token)).Select(e => (e.Action, e.DocumentsChanged)).Single());
        Assert.Equal([("fix/2026-12-02-trades-missing-status/apply/r-1", FixStep.ApplyPass)], target.Read);
        Assert.Contains("fix/2026-12-02-trades-missing-status/apply/r-1", target.Cleared);
    }

    /// <summary>Fixes 40 documents and leaves <c>refused</c> (ids 7, 9…) as MongoDB's validator would: they still need the fix.</summary>
    private sealed class RefusingTarget(IMigrationTarget inner, int refused) : ForwardingTarget(inner)
    {
        public override Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken)
        {
            var left = FixUndoRecords.Left(new BatchSummary(40 + refused, 40, 0) { Refused = Enumerable.Range(0, refused).Select(i => (MongoDB.Bson.BsonValue)(7 + 2 * i)).ToList() },
                FixUndoRecords.DocumentsRefusedByValidator("trades"));
            return Task.FromResult(new StepOutcome(true, $"documents of trades fixed: 40 written{left}", 40) { Refused = refused });
        }

        public override Task<long> CountNeedingFixAsync(DataFix fix, CancellationToken cancellationToken) => Task.FromResult((long)refused);
    }

    /// <summary>Stops after batches whose checkpoint counts <c>committed</c> documents written.</summary>
    private sealed class StoppingTarget(IMigrationTarget inner, long committed) : ForwardingTarget(inner)
    {
        public List<(string StepKey, string Pass)> Read { get; } = [];

        public List<string> Cleared { get; } = [];

        public override Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken) =>
            throw new MigrationEngineException("the server went away");

        public override Task<long> ReadCheckpointedWritesAsync(string stepKey, string pass, CancellationToken cancellationToken)
        {
            Read.Add((stepKey, pass));
            return Task.FromResult(committed);
        }

        public override Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken)
        {
            Cleared.Add(stepKey);
            return base.ClearCheckpointsAsync(stepKey, cancellationToken);
        }
    }
}
