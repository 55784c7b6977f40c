using BotCore.MigrationPortal.Engine.Batching;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>Reports on behalf of one step, stamping its events with the migration, direction and step number.</summary>
public sealed class StepReporter(IProgress<RunEvent> sink, TimeProvider time, string version, string direction, int stepIndex, int stepCount)
{
    public void Log(string message, RunEventLevel level = RunEventLevel.Information) =>
        sink.Report(Stamp(new RunEvent(time.GetUtcNow(), RunEventKind.Log, message) { Level = level }));

    public void Emit(RunEventKind kind, string message, TimeSpan? duration = null) =>
        sink.Report(Stamp(new RunEvent(time.GetUtcNow(), kind, message) { DurationMs = duration?.TotalMilliseconds }));

    public void Batch(BatchProgress progress) =>
        sink.Report(Stamp(new RunEvent(time.GetUtcNow(), RunEventKind.BatchProgress, progress.Describe()) { Batch = progress }));

    private RunEvent Stamp(RunEvent e) => e with { Version = version, Direction = direction, StepIndex = stepIndex, StepCount = stepCount };
}
