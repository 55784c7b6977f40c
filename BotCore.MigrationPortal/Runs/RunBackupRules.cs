using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// Which backup a run may count as its backup and which it may restore: the scope it takes ("Back up now"), a whole-database backup
/// taken elsewhere that it may attach ("Use backup …"), and, for a rollback run, the backup it may restore as the last resort. Asked
/// by the run page's backup buttons (to show the choices), by <see cref="RunBackups"/> at the act, by the backup job when it runs and
/// by the pre-checks (so that a backup the rules would not take does not settle the item).
/// </summary>
public static class RunBackupRules
{
    /// <summary>The states in which a rollback run offers "Restore from backup…": its rollback migration did not bring the target back.</summary>
    public static IReadOnlyList<RunState> RestoreStates { get; } = [RunState.Failed, RunState.RollbackFailed, RunState.RolledBack];

    /// <summary>What "Back up now" takes unless the person chooses: the whole database on Production (the spec's "full database backup"), else what the run touches.</summary>
    public static BackupScope DefaultScope(MigrationRun run) => run.Tier == TargetTier.Production ? BackupScope.WholeDatabase : BackupScope.TouchedCollections;

    /// <summary>What "the collections the run touches" are for its backup: a fix's one collection, or those its migrations' steps touch.</summary>
    public static IReadOnlyList<string> TouchedCollections(MigrationRun run, Engine.Planning.MigrationPlanner planner) =>
        run.Fix is { } fix ? [fix.Collection] : planner.Plan(run.From, run.To).TouchedCollections;

    /// <summary>
    /// Whether the run may be backed up with <paramref name="scope"/>. On Production only the whole database: the checklist item the
    /// backup settles is the spec's "Created full database backup", and the last resort of a Production rollback must not depend on
    /// which collections a plan said it touched (a custom step may write elsewhere).
    /// </summary>
    public static Verdict CheckScope(MigrationRun run, BackupScope scope) =>
        scope == BackupScope.TouchedCollections && run.Tier == TargetTier.Production
            ? Verdict.No($"Run {run.Id} is on Production, where the spec's checklist asks for a full database backup: back up the whole database, " +
                "or use a verified whole-database backup taken shortly before.")
            : Verdict.Yes;

    /// <summary>
    /// Whether <paramref name="backup"/> may be attached to <paramref name="run"/> at <paramref name="now"/> as its backup: of the same target,
    /// of the whole database, verified, taken at most <paramref name="maxAge"/> before, holding the version the run starts from (so that
    /// nothing migrated the target since), and not attached already.
    /// </summary>
    public static Verdict CheckAttach(MigrationRun run, BackupManifest backup, DateTime now, TimeSpan maxAge) => Verdict.All(
        () => string.Equals(backup.Target, run.Target, StringComparison.OrdinalIgnoreCase)
            ? Verdict.Yes
            : Verdict.No($"Backup {backup.Id} is of {backup.Target}, not of {run.Target}."),
        () => backup.WholeDatabase
            ? Verdict.Yes
            : Verdict.No($"Backup {backup.Id} holds only {string.Join(", ", backup.Collections.Select(c => c.Name))}, not the whole database: only a whole-database backup is attached."),
        () => backup.Verification switch
        {
            { Passed: true } => Verdict.Yes,
            { } failed => Verdict.No($"Backup {backup.Id} failed verification at {failed.At:u}: it cannot be the run's backup."),
            null => Verdict.No($"Backup {backup.Id} has not been verified: verify it on the Backups page first."),
        },
        () => now - backup.CreatedAt <= maxAge
            ? Verdict.Yes
            : Verdict.No($"Backup {backup.Id} was taken at {backup.CreatedAt:u}, more than {maxAge.TotalHours:0} h ago (Backups:AttachMaxAgeHours): back up now instead."),
        () => VersionOf(backup) == run.From.ToString()
            ? Verdict.Yes
            : Verdict.No($"Backup {backup.Id} holds {backup.Target} at {VersionOf(backup)}, but run {run.Id} starts at {run.From}: the target changed since it was taken."),
        () => run.AttachedBackup?.BackupId == backup.Id
            ? Verdict.No($"Backup {backup.Id} is already attached to run {run.Id} (by {run.AttachedBackup.By} at {run.AttachedBackup.At:u}).")
            : Verdict.Yes);

    /// <summary>The backups "Use backup …" offers: those <see cref="CheckAttach"/> allows, newest first.</summary>
    public static IReadOnlyList<BackupManifest> Attachable(MigrationRun run, IEnumerable<BackupManifest> backups, DateTime now, TimeSpan maxAge) =>
        backups.Where(b => CheckAttach(run, b, now, maxAge).Allowed).OrderByDescending(b => b.CreatedAt).ToList();

    /// <summary>The run's backups, newest first: those taken for it and the one attached to it.</summary>
    public static IReadOnlyList<BackupManifest> OfRun(MigrationRun run, IEnumerable<BackupManifest> backups) =>
        backups.Where(b => b.RunId == run.Id || b.Id == run.AttachedBackup?.BackupId).OrderByDescending(b => b.CreatedAt).ToList();

    /// <summary>The backup a rollback of <paramref name="rolledBack"/> restores as the last resort: that run's newest verified backup; null when it has none.</summary>
    public static BackupManifest? RestorableOf(MigrationRun rolledBack, IEnumerable<BackupManifest> backups) =>
        OfRun(rolledBack, backups).FirstOrDefault(b => b.IsVerified);

    /// <summary>
    /// May <paramref name="actor"/> restore, from the rollback run <paramref name="run"/>, the backup of the run it rolls back: whoever may
    /// restore backups (<see cref="BackupRules"/>), on a rollback run whose rollback did not bring the target back (<see cref="RestoreStates"/>),
    /// once: not while a restore it started is under way, nor after one succeeded.
    /// </summary>
    public static Verdict CheckRestore(MigrationRun run, Actor actor) => Verdict.All(
        () => BackupRules.Check(BackupAction.Restore, actor),
        () => RestoreDue(run));

    /// <summary>Whether the run is where its last-resort restore is due, whoever may do it: what the run page's to-do asks of a DBA.</summary>
    public static Verdict RestoreDue(MigrationRun run) => Verdict.All(
        () => run.Kind is RunKind.Rollback or RunKind.EmergencyRollback && run.RollbackOf is not null
            ? Verdict.Yes
            : Verdict.No($"Run {run.Id} does not roll back another run: restore a backup from the Backups page instead."),
        () => RestoreStates.Contains(run.State)
            ? Verdict.Yes
            : Verdict.No($"Run {run.Id} is {run.State.InSentence()}: restoring from backup is the last resort once a rollback has failed or was itself rolled back."),
        () => (run.Restore, run.Item(ChecklistTemplate.RestoredFromBackup)?.Status) switch
        {
            (_, ItemStatus.Passed) => Verdict.No($"Run {run.Id} was already restored from backup: {run.Item(ChecklistTemplate.RestoredFromBackup)!.Evidence}"),
            ({ } pending, ItemStatus.Open) => Verdict.No($"Restore {pending.RestoreId} of backup {pending.BackupId}, started by {pending.By} at {pending.At:u}, has not ended yet: " +
                "follow it on the Backups page."),
            _ => Verdict.Yes,
        });

    /// <summary>Whether <paramref name="backup"/> is the one the rollback run <paramref name="run"/> may restore (see <see cref="RestorableOf"/>).</summary>
    public static Verdict CheckRestoreBackup(MigrationRun run, BackupManifest? backup) => backup switch
    {
        null => Verdict.No($"Run {run.RollbackOf} has no verified backup to restore: restore another backup of {run.Target} from the Backups page, or repair the target by hand."),
        _ when !string.Equals(backup.Target, run.Target, StringComparison.OrdinalIgnoreCase) =>
            Verdict.No($"Backup {backup.Id} is of {backup.Target}, but run {run.Id} is on {run.Target}."),
        _ => Verdict.Yes,
    };

    private static string VersionOf(BackupManifest backup) => backup.SchemaVersion ?? SchemaVersion.Zero.ToString();
}
