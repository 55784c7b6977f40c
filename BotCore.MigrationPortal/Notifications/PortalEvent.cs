namespace BotCore.MigrationPortal.Notifications;

/// <summary>What happened, as the notification channels subscribe to it (stored and serialized by name).</summary>
public enum PortalEventKind
{
    ApprovalRequested,
    Approved,
    RunQueued,
    RunStarted,
    RunSucceeded,
    RunFailed,
    RolledBack,
    RollbackFailed,
    DriftFound,
    BackupFailed,
    RestoreDone,
}

/// <summary>
/// One thing the team is told about: a run's step or a target's trouble, with the words a person reads and, for a failure, the error.
/// Immutable: the delivery job reads it from the delivery record, so a retry sends what the first attempt sent.
/// </summary>
/// <param name="RunId">The run it is about; null for a target's event that no run caused (a restore from the Backups page).</param>
/// <param name="Error">Why it failed, for the failures; null otherwise.</param>
public sealed record PortalEvent(PortalEventKind Kind, DateTime At, string Target, string? RunId, string Summary, string? Error = null)
{
    /// <summary>Whom to call, for a failure: the emergency contacts of the target's tier as they were when it happened ("DBA on-call: Ann, +41 …").</summary>
    public IReadOnlyList<string> Contacts { get => contacts ?? []; init => contacts = value; }

    // A delivery stored before contacts existed reads without them (the driver leaves the member null): it is sent without contacts.
    private readonly IReadOnlyList<string>? contacts;

    /// <summary>A failure the team must act on: the channels show it as such.</summary>
    public bool IsFailure => Kind is PortalEventKind.RunFailed or PortalEventKind.RollbackFailed or PortalEventKind.BackupFailed or PortalEventKind.DriftFound;
}

public static class PortalEventNames
{
    /// <summary>The event as a label: "Approval requested", "Rollback failed".</summary>
    public static string DisplayName(this PortalEventKind kind) => kind switch
    {
        PortalEventKind.ApprovalRequested => "Approval requested",
        PortalEventKind.RunQueued => "Run queued",
        PortalEventKind.RunStarted => "Run started",
        PortalEventKind.RunSucceeded => "Run succeeded",
        PortalEventKind.RunFailed => "Run failed",
        PortalEventKind.RolledBack => "Rolled back",
        PortalEventKind.RollbackFailed => "Rollback failed",
        PortalEventKind.DriftFound => "Drift found",
        PortalEventKind.BackupFailed => "Backup failed",
        PortalEventKind.RestoreDone => "Restore done",
        _ => kind.ToString(),
    };
}
