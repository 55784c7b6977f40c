using System.Reflection;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Audit;

/// <summary>What an action adds to the audit log.</summary>
/// <param name="Role">The actor's role, or "none" for someone who could not sign in.</param>
public sealed record AuditRecord(string User, string Role, string Action, string? Target, string? RunId, string Details)
{
    public static AuditRecord By(Actor actor, string action, string details, string? target = null, string? runId = null) =>
        new(actor.Name, actor.Role.ToString(), action, target, runId, details);
}

/// <summary>The append-only, hash-chained audit log. Every action of the portal is recorded through it.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken);
}

/// <summary>The names of audited actions, so that filters and tests agree on them.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string SessionsEnded = "sessions-ended";
    public const string SessionRefused = "session-refused";
    public const string ActionRefused = "action-refused";
    public const string UserCreated = "user-created";
    public const string UserChanged = "user-changed";
    public const string RunCreated = "run-created";
    public const string PreChecksRun = "pre-checks-run";
    public const string ChecklistTicked = "checklist-ticked";
    public const string ApprovalRequested = "approval-requested";
    public const string Approved = "approved";
    public const string ApprovalVoided = "approval-voided";
    public const string RunSentBack = "run-sent-back";
    public const string RunCommented = "run-commented";
    public const string RunQueued = "run-queued";
    public const string RunStateChanged = "run-state-changed";
    public const string RunCancelled = "run-cancelled";
    public const string RunPaused = "run-paused";
    public const string RunResumed = "run-resumed";
    public const string RollbackCreated = "rollback-created";
    public const string EmergencyRollback = "emergency-rollback";
    public const string StagingOverride = "staging-override";
    public const string DriftAccepted = "drift-accepted";
    public const string DraftsReleased = "drafts-released";
    public const string AdoptionCreated = "adoption-created";
    public const string TargetAdopted = "target-adopted";
    public const string FixRunCreated = "fix-run-created";
    public const string FixApplied = "fix-applied";
    public const string FixUndone = "fix-undone";
    public const string AuditVerified = "audit-verified";
    public const string AuditExported = "audit-exported";
    public const string ChecksRun = "checks-run";
    public const string JobDashboardAction = "job-dashboard-action";
    public const string BackupRequested = "backup-requested";
    public const string BackupCreated = "backup-created";
    public const string BackupVerifyRequested = "backup-verify-requested";
    public const string BackupVerified = "backup-verified";
    public const string BackupRestoreRequested = "backup-restore-requested";
    public const string BackupRestored = "backup-restored";
    public const string BackupRestoreFailed = "backup-restore-failed";
    public const string BackupDeleted = "backup-deleted";
    public const string BackupAttached = "backup-attached";
    public const string BackupSkipped = "backup-skipped";
    public const string SandboxFaultsChanged = "sandbox-faults-changed";
    public const string TargetChecked = "target-checked";
    public const string RunScheduled = "run-scheduled";
    public const string RunRescheduled = "run-rescheduled";
    public const string ScheduleCancelled = "run-schedule-cancelled";
    public const string ScheduledStart = "scheduled-start";
    public const string ScheduledStartRefused = "scheduled-start-refused";
    public const string ScriptDownloaded = "script-downloaded";
    public const string ApiTokenCreated = "api-token-created";
    public const string ApiTokenRevoked = "api-token-revoked";
    public const string ApiTokenUsed = "api-token-used";
    public const string ApiTokenRefused = "api-token-refused";
    public const string NotificationChannelAdded = "notification-channel-added";
    public const string NotificationChannelChanged = "notification-channel-changed";

    /// <summary>
    /// Every action name above, in declaration order, for the audit page's filter. Read by reflection so that an action
    /// another feature adds here appears in the filter without a second list to keep in step.
    /// </summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field is { IsLiteral: true } && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();
}
