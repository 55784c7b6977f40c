using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// A data step of the simulated target that a batch fault stops: the batches before the failing one are reported as full
/// (the simulated database holds no documents, so they are made up, and the log says so), paced like real batches, so that
/// a partly done data step and its rollback can be watched.
/// </summary>
internal static class SimulatedBatches
{
    /// <exception cref="MigrationEngineException">Always, at the fault's batch.</exception>
    public static async Task FailAsync(FiredSandboxFault fault, StepExecution execution, TimeProvider time, CancellationToken cancellationToken)
    {
        var failing = fault.Fault.Batch!.Value;
        var size = execution.Batching.BatchSize;
        var total = (long)failing * size;
        execution.Reporter.Log(
            $"Sandbox fault: reporting {failing - 1:N0} made-up batch(es) of {size:N0} documents before batch {failing:N0} fails.", RunEventLevel.Warning);
        var started = time.GetTimestamp();
        for (var batch = 1; batch < failing; batch++)
        {
            var processed = (long)batch * size;
            var rate = processed / Math.Max(time.GetElapsedTime(started).TotalSeconds, 0.001);
            execution.Reporter.Batch(new BatchProgress(processed, total, rate, TimeSpan.FromSeconds((total - processed) / rate)));
            if (execution.Batching.PauseMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(execution.Batching.PauseMilliseconds), time, cancellationToken);
            }
        }
        throw new MigrationEngineException(fault.Message);
    }
}
