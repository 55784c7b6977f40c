using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.Sandbox.SandboxFaultTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Sandbox;

/// <summary>
/// The sandbox's simulated volumes: a data step walks through its collection's configured documents in batches of the run's size at the
/// configured rate, reports progress with rate and ETA (labelled simulated), keeps a checkpoint a second execution resumes after, and asks
/// the run between batches, where a pause holds it.
/// </summary>
public sealed class SimulatedVolumeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly IMigrationStep UsersStep = new AddFieldsStep("users", new BsonDocument("tier", "free"));

    private static SandboxMigrationTarget Target(long users, double documentsPerSecond = 10_000_000, SandboxFaults? faults = null) =>
        new("dev", TargetTier.Development, new LeaseOptions(), TimeProvider.System, NullLoggerFactory.Instance, TimeSpan.Zero, faults,
            volume: new SimulatedVolume(new Dictionary<string, long> { ["users"] = users }, documentsPerSecond));

    private static StepExecution Execution(RecordingProgress progress, int batchSize = 1000, BatchBoundary? boundary = null, string stepKey = "1.1.0/up/7") =>
        new("run-1", stepKey, new StepReporter(progress, TimeProvider.System, "1.1.0", "up", 7, 7), new BatchOptions(batchSize, 0))
        {
            BetweenBatches = boundary,
        };

    private static List<BatchProgress> Batches(RecordingProgress progress) => progress.OfKind(RunEventKind.BatchProgress).Select(e => e.Batch!).ToList();

    [Fact]
    public async Task A_data_step_walks_its_collection_in_batches_of_the_run_s_size_labelled_simulated()
    {
        var progress = new RecordingProgress();

        var outcome = await Target(2_500).ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(progress), Token);

        var batches = Batches(progress);
        Assert.Equal([(1000L, 2500L), (2000L, 2500L), (2500L, 2500L)], batches.Select(b => (b.Processed, b.Total)));
        Assert.All(batches, b => Assert.True(b.Simulated));
        Assert.All(progress.OfKind(RunEventKind.BatchProgress), e => Assert.EndsWith("(simulated)", e.Message));
        Assert.Equal(TimeSpan.Zero, batches[^1].Eta);
        Assert.True(outcome.Changed);
        Assert.Equal("sandbox: 2,500 simulated documents processed in batches of 1,000", outcome.Summary);
        Assert.Contains(progress.OfKind(RunEventKind.Log), e => e.Message.StartsWith("Sandbox: simulating 2,500 documents of users in batches of 1,000 at 10,000,000 documents/s",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_simulated_rate_paces_the_batches_and_gives_the_rate_and_the_ETA()
    {
        var progress = new RecordingProgress();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Target(2_000, documentsPerSecond: 5_000).ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(progress, batchSize: 500), Token);

        // 2,000 documents at 5,000/s take 0.4 s.
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.35, 5);
        var first = Batches(progress)[0];
        Assert.Equal((500L, 2000L), (first.Processed, first.Total));
        Assert.InRange(first.DocumentsPerSecond, 1_000, 5_000);
        Assert.InRange(first.Eta!.Value.TotalSeconds, 0.25, 1.6);
    }

    [Fact]
    public async Task A_collection_with_no_documents_configured_says_so_as_before()
    {
        var progress = new RecordingProgress();

        var outcome = await Target(0).ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(progress), Token);

        Assert.False(outcome.Changed);
        Assert.Contains(progress.OfKind(RunEventKind.Log), e => e.Message.StartsWith("Sandbox: the simulated database holds no documents", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_run_again_after_it_stopped_resumes_after_its_last_simulated_batch_until_its_checkpoint_is_cleared()
    {
        var target = Target(5_000);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var first = new RecordingProgress(e => { if (e.Batch?.Processed == 2000) stop.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(first), stop.Token));
        var again = new RecordingProgress();
        var outcome = await target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(again), Token);

        Assert.Contains(again.OfKind(RunEventKind.Log), e => e.Message == "Resuming after 2,000 documents from a checkpoint (simulated).");
        Assert.Equal([3000L, 4000L, 5000L], Batches(again).Select(b => b.Processed));
        Assert.Equal("sandbox: 3,000 simulated documents processed in batches of 1,000 (resumed after 2,000 from a checkpoint (simulated))", outcome.Summary);

        await target.ClearCheckpointsAsync("1.1.0/up/7", Token);
        var fresh = new RecordingProgress();
        await target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(fresh), Token);
        Assert.Equal(5, Batches(fresh).Count);
        Assert.DoesNotContain(fresh.OfKind(RunEventKind.Log), e => e.Message.Contains("checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_step_keeps_its_own_checkpoint()
    {
        var target = Target(3_000);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var first = new RecordingProgress(e => { if (e.Batch?.Processed == 1000) stop.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(first), stop.Token));

        var other = new RecordingProgress();
        await target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(other, stepKey: "1.1.0/up/7/undo"), Token);

        Assert.Equal(3, Batches(other).Count);
    }

    [Fact]
    public async Task A_batch_fault_fails_batch_N_of_the_simulated_volume_and_a_second_execution_resumes_before_it()
    {
        var faults = NewFaults();
        faults.Arm("dev", new SandboxFaultSet(Batch: 3), "ada");
        var target = Target(10_000, faults: faults);
        var progress = new RecordingProgress();

        var failed = await Assert.ThrowsAsync<MigrationEngineException>(() => target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(progress), Token));

        Assert.Equal("Sandbox fault: batch 3 of step 1.1.0/up/7 was told to fail (armed by ada).", failed.Message);
        Assert.Equal([(1000L, 10_000L), (2000L, 10_000L)], Batches(progress).Select(b => (b.Processed, b.Total)));
        Assert.DoesNotContain(progress.OfKind(RunEventKind.Log), e => e.Message.Contains("made-up", StringComparison.Ordinal));
        var again = new RecordingProgress();
        await target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(again), Token);
        Assert.Equal(3000L, Batches(again)[0].Processed);
    }

    [Fact]
    public async Task The_run_is_asked_between_batches_never_after_the_last_and_a_boundary_that_holds_holds_the_step()
    {
        var asked = new List<BatchPosition>();
        var release = new TaskCompletionSource();
        var progress = new RecordingProgress();
        BatchBoundary boundary = async (position, cancellationToken) =>
        {
            lock (asked) asked.Add(position);
            if (position.Batch == 2) await release.Task.WaitAsync(cancellationToken);
        };

        var step = Target(4_000).ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(progress, boundary: boundary), Token);
        await WaitUntilAsync(() => asked.Count == 2);
        await Task.Delay(200, Token);

        Assert.False(step.IsCompleted);
        Assert.Equal([1000L, 2000L], Batches(progress).Select(b => b.Processed));
        release.SetResult();
        await step;
        Assert.Equal([new BatchPosition("1.1.0/up/7", 1, 1000, 4000, true), new BatchPosition("1.1.0/up/7", 2, 2000, 4000, true),
            new BatchPosition("1.1.0/up/7", 3, 3000, 4000, true)], asked);
        Assert.Equal(4000L, Batches(progress)[^1].Processed);
    }

    [Fact]
    public async Task A_cancel_while_the_boundary_holds_the_step_stops_it_there_with_its_checkpoint()
    {
        var target = Target(4_000);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        BatchBoundary holdForever = (position, cancellationToken) => position.Batch == 2 ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;
        var step = target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(new RecordingProgress(), boundary: holdForever), cancel.Token);
        await Task.Delay(200, Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step);
        var again = new RecordingProgress();
        await target.ExecuteStepAsync(UsersStep, SchemaCatalog.Empty, Execution(again), Token);
        Assert.Contains(again.OfKind(RunEventKind.Log), e => e.Message == "Resuming after 2,000 documents from a checkpoint (simulated).");
    }

    [Fact]
    public async Task Between_batches_the_pause_comes_first_then_the_boundary_whose_hold_is_not_counted_in_the_rate()
    {
        var order = new List<string>();
        BatchBoundary boundary = async (_, cancellationToken) =>
        {
            order.Add("boundary");
            await Task.Delay(150, cancellationToken);
        };

        var held = await BetweenBatches.PassAsync(boundary, new BatchPosition("s", 1, 10, 20), 0, TimeProvider.System, Token);
        var none = await BetweenBatches.PassAsync(null, new BatchPosition("s", 1, 10, 20), 0, TimeProvider.System, Token);

        Assert.Equal(["boundary"], order);
        Assert.InRange(held.TotalMilliseconds, 140, 5_000);
        Assert.Equal(TimeSpan.Zero, none);
        Assert.Equal(3, BetweenBatches.Number(2_500, 1_000));
        Assert.Equal(2, BetweenBatches.Number(2_000, 1_000));
    }

    [Fact]
    public void The_portal_reads_each_target_s_documents_and_the_rate_from_configuration_and_refuses_a_rate_of_zero()
    {
        TargetRegistry Registry(string rate) => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Targets:dev:Tier"] = "Development",
            ["Sandbox:Targets:dev:Documents:users"] = "250000",
            [SimulatedVolume.RateKey] = rate,
        }).Build(), true, new LeaseOptions(), TimeProvider.System, NullLoggerFactory.Instance, TimeSpan.Zero);

        Assert.IsType<SandboxMigrationTarget>(Registry("50000").Get("dev"));
        var refused = Assert.Throws<BadInputException>(() => Registry("0").Get("dev"));
        Assert.Equal("Sandbox:DocumentsPerSecond must be a number of documents per second above 0 (it is 0).", refused.Message);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(10, Token);
        }
    }
}
