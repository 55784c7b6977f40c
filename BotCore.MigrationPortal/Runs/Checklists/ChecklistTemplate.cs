using static BotCore.MigrationPortal.Runs.Checklists.ChecklistSection;
using static BotCore.MigrationPortal.Runs.Checklists.ItemKind;
using static BotCore.MigrationPortal.Runs.Checklists.ItemPhase;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// The spec's "Migration Checklist Template" as data. Items the portal can prove are automated (with evidence
/// from the plan, the target, the backups and the integrity checks); the rest are ticked by a person.
/// Two items the spec's template does not have are added because the portal can prove them and a DBA needs
/// them: the migration checksums are unchanged, and the live catalog has not drifted. A data fix (and its undo) has a shorter
/// template: no schema-version item, the backup, the team told, its source unchanged, its journal read, its documents counted, then
/// the run itself, its validation (the idempotency filter matches nothing) and its journal line.
/// </summary>
public static class ChecklistTemplate
{
    public const string Script = "pre.script";
    public const string LocalTest = "pre.local-test";
    public const string StagingTest = "pre.staging-test";
    public const string PerformanceReview = "pre.performance";
    public const string Backup = "pre.backup";
    public const string RollbackDocumented = "pre.rollback-documented";
    public const string MaintenanceWindow = "pre.window";
    public const string TeamNotified = "pre.notify";
    public const string ChecksumsUnchanged = "pre.checksums";
    public const string NoDrift = "pre.drift";
    public const string DraftsReleased = "pre.drafts-released";

    public const string BackupVerified = "exec.backup-verified";
    public const string CurrentVersion = "exec.version";
    public const string PreValidation = "exec.pre-validation";
    public const string Executed = "exec.executed";
    public const string ProgressMonitored = "exec.monitored";
    public const string VersionUpdated = "exec.version-updated";
    public const string PostValidation = "exec.post-validation";
    public const string CriticalFunctions = "exec.critical-functions";

    public const string IndexesVerified = "post.indexes";
    public const string QueryPerformance = "post.query-performance";
    public const string LogsMonitored = "post.logs";
    public const string DataIntegrity = "post.integrity";
    public const string DocumentationUpdated = "post.docs";
    public const string TeamNotifiedOfSuccess = "post.notify";
    public const string BackupDeletionScheduled = "post.backup-deletion";

    public const string ApplicationStopped = "rollback.stopped";
    public const string RollbackExecuted = "rollback.executed";
    public const string RestoredFromBackup = "rollback.restored";
    public const string RollbackVerified = "rollback.verified";
    public const string ApplicationRestarted = "rollback.restarted";
    public const string RollbackReason = "rollback.reason";
    public const string RetryScheduled = "rollback.retry";

    public const string BaselineComparison = "baseline.comparison";
    public const string BaselineDocuments = "baseline.documents";
    public const string BaselineRecorded = "baseline.recorded";

    public const string FixSource = "fix.source";
    public const string FixJournalChecked = "fix.journal";
    public const string FixDocuments = "fix.documents";
    public const string FixExecuted = "fix.executed";
    public const string FixValidated = "fix.validated";
    public const string FixJournaled = "fix.journaled";

    public static IReadOnlyList<ChecklistItemDefinition> Items { get; } =
    [
        new(Script, PreMigration, "Created migration script with up/down/validate functions", Automated, BeforeApproval, true, RunKinds.Migration),
        new(LocalTest, PreMigration, "Tested migration on local development database", Manual, BeforeApproval, false, RunKinds.Migration),
        new(StagingTest, PreMigration, "Tested migration on staging with production-like data", Automated, BeforeApproval, true, RunKinds.Migration),
        new(PerformanceReview, PreMigration, "Reviewed migration for performance impact", Manual, BeforeApproval, true, RunKinds.Migration),
        new(Backup, PreMigration, "Created full database backup", Automated, BeforeApproval, true, RunKinds.Any | RunKinds.Fix),
        new(RollbackDocumented, PreMigration, "Documented rollback procedure", Automated, BeforeApproval, true, RunKinds.Migration),
        new(MaintenanceWindow, PreMigration, "Scheduled maintenance window (if needed)", Manual, BeforeApproval, false, RunKinds.Migration),
        new(TeamNotified, PreMigration, "Notified team of upcoming migration", Manual, BeforeApproval, true, RunKinds.Migration | RunKinds.Fix),
        new(ChecksumsUnchanged, PreMigration, "Migration checksums unchanged", Automated, BeforeApproval, true, RunKinds.Any),
        new(NoDrift, PreMigration, "Live catalog matches the expected catalog (no drift)", Automated, BeforeApproval, true, RunKinds.Any),
        new(DraftsReleased, PreMigration, "Draft migrations released for Production in writing", Automated, BeforeApproval, true, RunKinds.Migration),

        new(BackupVerified, MigrationExecution, "Verified backup is valid and recent", Automated, BeforeApproval, true, RunKinds.Any | RunKinds.Fix),
        new(CurrentVersion, MigrationExecution, "Checked current schema version", Automated, BeforeApproval, true, RunKinds.Any),
        new(PreValidation, MigrationExecution, "Ran pre-migration validation", Automated, BeforeApproval, true, RunKinds.Any),
        new(Executed, MigrationExecution, "Executed migration script", Automated, DuringRun, true, RunKinds.Migration),
        new(ProgressMonitored, MigrationExecution, "Monitored migration progress", Automated, DuringRun, true, RunKinds.Migration),
        new(VersionUpdated, MigrationExecution, "Verified schema version updated", Automated, DuringRun, true, RunKinds.Migration),
        new(PostValidation, MigrationExecution, "Ran post-migration validation", Automated, DuringRun, true, RunKinds.Migration),
        new(CriticalFunctions, MigrationExecution, "Tested critical application functions", Manual, AfterRun, true, RunKinds.Migration),

        new(IndexesVerified, PostMigration, "Verified all indexes created successfully", Automated, DuringRun, true, RunKinds.Migration),
        new(QueryPerformance, PostMigration, "Checked query performance", Automated, DuringRun, true, RunKinds.Migration),
        new(LogsMonitored, PostMigration, "Monitored application logs for errors", Manual, AfterRun, true, RunKinds.Migration),
        new(DataIntegrity, PostMigration, "Verified data integrity", Automated, DuringRun, true, RunKinds.Any),
        new(DocumentationUpdated, PostMigration, "Updated documentation", Manual, AfterRun, false, RunKinds.Migration),
        new(TeamNotifiedOfSuccess, PostMigration, "Notified team of successful migration", Manual, AfterRun, true, RunKinds.Migration | RunKinds.Fix),
        new(BackupDeletionScheduled, PostMigration, "Scheduled backup deletion (after retention period)", Automated, DuringRun, false, RunKinds.Migration),

        new(ApplicationStopped, Rollback, "Stopped application", Manual, BeforeApproval, true, RunKinds.Rollback),
        new(RollbackExecuted, Rollback, "Ran rollback migration", Automated, DuringRun, true, RunKinds.Rollback),
        new(RestoredFromBackup, Rollback, "Restored from backup (if needed)", Automated, DuringRun, false, RunKinds.Rollback),
        new(RollbackVerified, Rollback, "Verified rollback successful", Automated, DuringRun, true, RunKinds.Rollback),
        new(ApplicationRestarted, Rollback, "Restarted application", Manual, AfterRun, true, RunKinds.Rollback),
        new(RollbackReason, Rollback, "Documented rollback reason", Manual, BeforeApproval, true, RunKinds.Rollback, CommentRequired: true),
        new(RetryScheduled, Rollback, "Scheduled migration retry", Manual, AfterRun, false, RunKinds.Rollback),

        new(BaselineComparison, ChecklistSection.Adoption, "Compared the live catalog with every version: the one adopted fits", Automated, BeforeApproval, true, RunKinds.Baseline),
        new(BaselineDocuments, ChecklistSection.Adoption, "Found the version documents and which one is kept", Automated, BeforeApproval, true, RunKinds.Baseline),
        new(FixSource, PreMigration, "Fix source unchanged since the run was created (checksum)", Automated, BeforeApproval, true, RunKinds.Fix),
        new(FixJournalChecked, PreMigration, "Checked the target's fix journal: applied before? changed since?", Automated, BeforeApproval, true, RunKinds.Fix),
        new(FixDocuments, PreMigration, "Counted the documents to change, with the fix's filter and idempotency rule", Automated, BeforeApproval, true, RunKinds.Fix),
        new(FixExecuted, MigrationExecution, "Ran the fix (or its undo) in batches, each changed document's previous values recorded", Automated, DuringRun, true, RunKinds.Fix),
        new(FixValidated, MigrationExecution, "Validated: the idempotency filter now matches 0 documents (after an undo: no undo record left)", Automated, DuringRun, true, RunKinds.Fix),
        new(FixJournaled, PostMigration, "Recorded in the target's fix journal; schema version unchanged", Automated, DuringRun, true, RunKinds.Fix),

        new(BaselineRecorded, ChecklistSection.Adoption, "Recorded the version and a baselined changelog (no data or index touched)", Automated, DuringRun, true, RunKinds.Baseline),
    ];

    public static ChecklistItemDefinition Get(string id) =>
        Items.FirstOrDefault(i => i.Id == id) ?? throw new ArgumentException($"No checklist item '{id}'.", nameof(id));

    public static IEnumerable<ChecklistItemDefinition> For(RunKind kind) =>
        Items.Where(i => i.AppliesTo.HasFlag(kind switch
        {
            RunKind.Migration => RunKinds.Migration,
            RunKind.Baseline => RunKinds.Baseline,
            RunKind.Fix or RunKind.FixUndo => RunKinds.Fix,
            _ => RunKinds.Rollback,
        }));

    /// <summary>A fresh checklist: every item open.</summary>
    public static IReadOnlyList<ChecklistItemState> NewChecklist(RunKind kind) =>
        For(kind).Select(item => new ChecklistItemState { ItemId = item.Id, Status = ItemStatus.Open }).ToList();
}
