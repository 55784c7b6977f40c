using BotCore.MigrationPortal.Engine.Batching;

namespace BotCore.MigrationPortal.Engine.Running;

public enum RunEventKind
{
    RunStarted,
    MigrationStarted,
    StepStarted,
    StepFinished,
    StepFailed,
    BatchProgress,
    Log,
    MigrationFinished,
    RollbackStarted,
    RollbackFinished,
    Validation,
    RunFinished,
    StateChanged,

    /// <summary>The steps succeeded; the run's validation begins (the run is Validating).</summary>
    ValidationStarted,

    /// <summary>The validation ended: <see cref="RunEvent.Passed"/> says whether anything blocks.</summary>
    ValidationFinished,
}

public enum RunEventLevel
{
    Information,
    Warning,
    Error,
}

/// <summary>
/// One thing that happened during a run, in a flat shape that is easy to persist, stream and replay.
/// Fields that do not apply to a kind are null.
/// </summary>
public sealed record RunEvent(DateTimeOffset At, RunEventKind Kind, string Message)
{
    public RunEventLevel Level { get; init; } = RunEventLevel.Information;
    public string? Version { get; init; }
    public string? Direction { get; init; }
    public int? StepIndex { get; init; }
    public int? StepCount { get; init; }
    public double? DurationMs { get; init; }
    public BatchProgress? Batch { get; init; }
    public bool? Passed { get; init; }
}
