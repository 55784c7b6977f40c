using System.Diagnostics;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Shadow;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.Benchmarks;

/// <summary>
/// The spec's shadow collection as the portal's <see cref="ShadowRebuildStep"/> does it, on a backfill collection: copy through a
/// pipeline (the same uniform <c>fee_rate</c>) in batches with its change stream open, compare counts and a sample, pause writes, swap
/// by renames. Timed whole (the step's summary, in the note, gives the write pause), then swapped back untimed so later cases find the collection as it was.
/// </summary>
public sealed class ShadowRebuildCase(BackfillWorkload workload, BatchOptions batching) : IBenchmarkCase
{
    public string Name => $"backfill {workload.Documents:N0}: {Method}";

    public string Method => $"shadow rebuild and swap (batches of {batching.BatchSize:N0}, pause {batching.PauseMilliseconds} ms)";

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        await workload.PrepareAsync(context.Database, cancellationToken);
        var target = context.MigrationTarget;
        var topology = await target.ReadTopologyAsync(cancellationToken);
        var step = new ShadowRebuildStep(workload.Collection,
            ShadowTransform.Pipeline(new BsonDocument("$set", new BsonDocument(BackfillWorkload.Field, BackfillWorkload.Value))), "0.0.1")
        {
            // A standalone server has no change stream; nothing else writes to the benchmark's collection, which is what this says.
            WritersStopped = !topology.HasTransactions(),
        };
        var before = await target.ReadCatalogAsync(cancellationToken);
        var reporter = new StepReporter(new Progress<RunEvent>(), TimeProvider.System, "benchmark", "up", 1, 1);
        var key = $"benchmark/shadow/{workload.Collection}";
        await target.ClearCheckpointsAsync(key, cancellationToken);

        var clock = Stopwatch.StartNew();
        var outcome = await target.ExecuteStepAsync(step, step.Apply(before), new StepExecution($"benchmark-{Guid.NewGuid():N}", key, reporter, batching), cancellationToken);
        clock.Stop();
        var done = await workload.DoneAsync(context.Database, cancellationToken);

        var back = step.Inverse(before);
        var rebuilt = await target.ReadCatalogAsync(cancellationToken);
        await target.ExecuteStepAsync(back, back.Apply(rebuilt), new StepExecution($"benchmark-{Guid.NewGuid():N}", $"{key}/back", reporter, batching), cancellationToken);
        await target.ClearCheckpointsAsync(key, cancellationToken);
        if (done != workload.Documents)
        {
            throw new MigrationEngineException($"{Name} left {workload.Documents - done:N0} of {workload.Documents:N0} documents without {BackfillWorkload.Field}.");
        }
        // The step's own summary says how long writes were paused for the swap.
        return new BenchmarkResult(Name, done, 0, clock.Elapsed, Note: outcome.Summary) { Size = workload.Documents, Method = Method };
    }
}
