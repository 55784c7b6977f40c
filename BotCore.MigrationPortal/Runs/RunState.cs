namespace BotCore.MigrationPortal.Runs;

/// <summary>Where a run is in its lifecycle (DESIGN.md "Run lifecycle").</summary>
public enum RunState
{
    Draft,
    PreChecks,
    AwaitingApproval,
    Approved,
    Queued,

    /// <summary>
    /// Its job refused to start it before any step ran (the target busy with another run, moved to another version, the
    /// approval void, the target unreachable): nothing was changed; the reason is on the run, which can be run again.
    /// </summary>
    NotStarted,
    Running,
    Validating,
    Succeeded,
    Failed,
    RollingBack,
    RolledBack,
    RollbackFailed,
    Cancelled,
}

public enum RunKind
{
    /// <summary>Takes a target up (or down) to a requested version.</summary>
    Migration,

    /// <summary>Takes a target back to the version before its applied one; approved like any run.</summary>
    Rollback,

    /// <summary>Undoes a failed run without a second approval; marked as such everywhere.</summary>
    EmergencyRollback,

    /// <summary>
    /// Adopts a database built outside the portal at a version a person confirmed (see Adoption): writes its version and a
    /// baselined changelog, touches no data and no index. Approved by a second person on Production, as any run.
    /// </summary>
    Baseline,

    /// <summary>
    /// Applies a data fix (<c>fixes/</c>) to one collection, recording each changed document's previous values; never changes the
    /// schema version (From == To). Approved by a second person as any run.
    /// </summary>
    Fix,

    /// <summary>Undoes a data fix from its recorded previous values; approved as any run, and never changes the schema version either.</summary>
    FixUndo,
}

/// <summary>
/// The one place that names run states and kinds for people: pages, chips, filters, messages, audit details and the CLI all ask
/// it. The enum names stay what is stored and serialized (and what data-testid values and APIs carry); these are only words.
/// </summary>
public static class RunNames
{
    /// <summary>The state as a label: "Awaiting approval", "Rolled back".</summary>
    public static string DisplayName(this RunState state) => state switch
    {
        RunState.PreChecks => "Pre-checks",
        RunState.AwaitingApproval => "Awaiting approval",
        RunState.NotStarted => "Not started",
        RunState.RollingBack => "Rolling back",
        RunState.RolledBack => "Rolled back",
        RunState.RollbackFailed => "Rollback failed",
        _ => state.ToString(),
    };

    /// <summary>The state inside a sentence, after "is": "Run r-1 is awaiting approval", "Run r-1 is in pre-checks".</summary>
    public static string InSentence(this RunState state) => state switch
    {
        RunState.Draft => "a draft",
        RunState.PreChecks => "in pre-checks",
        _ => state.DisplayName().ToLowerInvariant(),
    };

    /// <summary>The kind as a label: "Emergency rollback"; a baseline run is what the portal calls adopting a database.</summary>
    public static string DisplayName(this RunKind kind) => kind switch
    {
        RunKind.EmergencyRollback => "Emergency rollback",
        RunKind.Baseline => "Adoption",
        RunKind.FixUndo => "Fix undo",
        _ => kind.ToString(),
    };

    /// <summary>The run's change in a sentence: "up 1.0.0 → 1.3.0"; a fix has no direction (its version stays): "Fix 2026-12-02-…".</summary>
    public static string Change(this MigrationRun run) =>
        run.Fix is null ? $"{Engine.Planning.DirectionNames.Name(run.Direction)} {run.From} → {run.To}" : run.Title();

    /// <summary>What a run does, in a few words, for lists and headings: "1.2.0 → 1.3.0", "adopt at 1.2.0", "Fix 2026-12-02-…", "Undo fix 2026-12-02-…".</summary>
    public static string Title(this MigrationRun run) => run switch
    {
        { Kind: RunKind.Fix, Fix: { } fix } => $"Fix {fix.Id}",
        { Kind: RunKind.FixUndo, Fix: { } fix } => $"Undo fix {fix.Id}",
        { Kind: RunKind.Baseline } => $"adopt at {run.To}",
        _ => $"{run.From} → {run.To}",
    };
}
