using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// A data step of the simulated target: it walks through its collection's simulated documents in batches of the run's batch size at the
/// simulated rate, reports each batch (labelled simulated) with its rate and ETA, keeps a checkpoint after each batch (a step run again
/// resumes after it, as on MongoDB), and asks the run between batches (where a pause holds it). A batch fault fails the step at its batch;
/// when the collection holds fewer batches, the ones before it are made up (and the log says so), so that a partly done data step and its
/// rollback can be watched on any collection.
/// </summary>
internal static class SimulatedBatches
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(1);

    /// <param name="documents">The documents of the collection the step walks through.</param>
    /// <param name="checkpoints">The simulated target's checkpoints, by step key: read, and written after each batch.</param>
    /// <exception cref="MigrationEngineException">The batch fault's batch came.</exception>
    public static async Task<StepOutcome> RunAsync(long documents, IDictionary<string, long> checkpoints, FiredSandboxFault? fault, StepExecution execution,
        double documentsPerSecond, TimeProvider time, CancellationToken cancellationToken)
    {
        var size = execution.Batching.BatchSize;
        var total = documents;
        if (fault?.Fault.Batch is { } failing && (long)failing * size > documents)
        {
            total = (long)failing * size;
            execution.Reporter.Log(
                $"Sandbox fault: reporting {failing - 1:N0} made-up batch(es) of {size:N0} documents before batch {failing:N0} fails.", RunEventLevel.Warning);
        }
        long resumedAfter;
        lock (checkpoints) resumedAfter = Math.Min(checkpoints.TryGetValue(execution.StepKey, out var saved) ? saved : 0, total);
        if (resumedAfter > 0)
        {
            execution.Reporter.Log($"Resuming after {resumedAfter:N0} documents from a checkpoint (simulated).");
        }
        var processed = resumedAfter;
        var started = time.GetTimestamp();
        var held = TimeSpan.Zero;
        while (processed < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var number = BetweenBatches.Number(processed, size) + 1;
            if (number == fault?.Fault.Batch) throw new MigrationEngineException(fault.Message);
            var next = Math.Min(total, processed + size);
            // The batch ends when the simulated rate says so: paced against the clock, so that short delays do not add up.
            var wait = TimeSpan.FromSeconds((next - resumedAfter) / documentsPerSecond) + held - time.GetElapsedTime(started);
            if (wait >= Shortest) await Task.Delay(wait, time, cancellationToken);
            processed = next;
            lock (checkpoints) checkpoints[execution.StepKey] = processed;
            // A timer may fire a little early: the simulated rate never shows more than the configured one.
            var rate = (processed - resumedAfter) / Math.Max((time.GetElapsedTime(started) - held).TotalSeconds, (processed - resumedAfter) / documentsPerSecond);
            execution.Reporter.Batch(new BatchProgress(processed, total, rate, TimeSpan.FromSeconds((total - processed) / rate)) { Simulated = true });
            if (processed < total)
            {
                held += await BetweenBatches.PassAsync(execution.BetweenBatches, new BatchPosition(execution.StepKey, number, processed, total, Simulated: true), 0, time,
                    cancellationToken);
            }
        }
        var done = processed - resumedAfter;
        return new StepOutcome(done > 0, $"sandbox: {done:N0} simulated documents processed in batches of {size:N0}" +
            (resumedAfter > 0 ? $" (resumed after {resumedAfter:N0} from a checkpoint (simulated))" : ""), done);
    }
}
