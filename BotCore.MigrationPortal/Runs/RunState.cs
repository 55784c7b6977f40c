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
}
