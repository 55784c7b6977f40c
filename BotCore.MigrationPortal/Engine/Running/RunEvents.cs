using BotCore.MigrationPortal.Engine.Planning;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>Run-level events (not tied to one step).</summary>
internal sealed class RunEvents(IProgress<RunEvent> sink, TimeProvider time)
{
    public void Emit(RunEventKind kind, string message, PlannedMigration? migration = null, TimeSpan? duration = null,
        RunEventLevel level = RunEventLevel.Information, bool? passed = null) =>
        sink.Report(new RunEvent(time.GetUtcNow(), kind, message)
        {
            Level = level,
            Version = migration?.Version.ToString(),
            Direction = migration?.Direction.Name(),
            DurationMs = duration?.TotalMilliseconds,
            Passed = passed,
        });
}
