using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// The evidence of a run once its job ran it, as <see cref="PreCheckEvaluator"/> gives the evidence before it: prepares the run's
/// post-migration validation (whose <see cref="PostRunFindings.Blocking"/> says whether it fails the run), then proves the automated
/// items of the run from what the engine and the validation found: executed, monitored, the schema version, the post-migration
/// validation, the indexes, query performance, data integrity, the backup's retention and whether a restore was needed.
/// </summary>
public sealed class PostRunEvaluator(PostRunValidator validator, MigrationRegistry registry, IBackupService backups, TimeProvider time)
{
    /// <summary>
    /// As <see cref="PostRunValidator.PrepareAsync"/>, for <paramref name="run"/>: the drift an Admin accepted for it is not held
    /// against it afterwards (it was there before; the run did not cause it).
    /// </summary>
    public Task<PostRunValidation> PrepareAsync(MigrationRun run, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
        validator.PrepareAsync(target, plan, cancellationToken, run.DriftAcceptance is { } acceptance
            ? difference => acceptance.Differences.Contains(difference.Describe()) ? $"accepted in writing by {acceptance.By} before the run" : null
            : null);

    /// <param name="findings">What the validation found; null when it did not run (a step failed, the run was cancelled) or could not.</param>
    /// <param name="recorded">How many of the run's events were recorded.</param>
    /// <param name="performance">The run's critical queries measured before and after it, recorded with the evidence; null when it has none.</param>
    internal async Task<PostRunEvidence> EvaluateAsync(MigrationRun run, RunResult result, PostRunFindings? findings, int recorded, RunPerformance? performance,
        CancellationToken cancellationToken)
    {
        var checklist = new ChecklistRecorder(run, time.GetUtcNow().UtcDateTime);
        // Its steps completed when it succeeded or was stopped by its validation, which runs only then.
        var completed = result.Succeeded || result.FailedChecks.Count > 0;
        checklist.Set(run.IsRollback ? ChecklistTemplate.RollbackExecuted : ChecklistTemplate.Executed, completed, Execution(run, result));
        checklist.Set(ChecklistTemplate.ProgressMonitored, result.Succeeded && recorded > 0, Monitoring(result, recorded));
        // The last resort is a person's decision: the item stays open and says how (see RunBackupRules.CheckRestore).
        if (run.IsRollback && !result.Succeeded) checklist.Settle(ChecklistTemplate.RestoredFromBackup, ItemStatus.Open, RestoredFromBackupItem.Needed(run));
        var validationItem = run.IsRollback ? ChecklistTemplate.RollbackVerified : ChecklistTemplate.PostValidation;
        if (findings is null)
        {
            if (result.FailedChecks.Count > 0) checklist.Set(validationItem, false, FailedCheck.Describe(result.FailedChecks));
            return new PostRunEvidence(checklist, null, performance);
        }

        var failed = findings.FailedCollections;
        var count = findings.Collections.Count;
        checklist.Set(ChecklistTemplate.VersionUpdated, findings.VersionUpdated,
            $"system_config DATABASE_SCHEMA_VERSION is {findings.Live}" + (findings.VersionUpdated ? "" : $", expected {findings.Expected}"));
        checklist.Settle(validationItem, Validation(findings), ValidationEvidence(findings));
        var indexes = registry.ExpectedCatalogAt(findings.Expected).Collections.Values.Sum(c => c.Indexes.Count);
        var indexProblems = failed.SelectMany(c => c.Differences).Where(d => d.Severity == DriftSeverity.Blocking && IsAboutIndexes(d.Difference)).ToList();
        checklist.Set(ChecklistTemplate.IndexesVerified, indexProblems.Count == 0, indexProblems.Count == 0
            ? $"All {Counted.Of(indexes, "expected index", "expected indexes")} are present with their options"
            : string.Join("; ", indexProblems.Select(d => d.Difference.DescribeAsDrift())));
        var (queryStatus, queryEvidence) = QueryPerformanceItem.Settle(
            Settled(findings.Checks.Where(IsQueryPlan).ToList(), "No critical query to explain for this run"), performance);
        checklist.Settle(ChecklistTemplate.QueryPerformance, queryStatus, queryEvidence);
        SetFromChecks(checklist, ChecklistTemplate.DataIntegrity, findings.Checks.Where(c => !IsQueryPlan(c)).ToList(), "No integrity check applies to this run");

        // The run's backups as RunBackupRules counts them: one taken for it, or one attached to it.
        var backup = RunBackupRules.RestorableOf(run, await backups.ListAsync(cancellationToken));
        checklist.Set(ChecklistTemplate.BackupDeletionScheduled, backup is not null, backup is null
            ? "No verified backup of this run to schedule."
            : $"Backup {backup.Id} is removed by the retention rule once it is old enough (Backups:KeepDays), unless it is the newest verified backup of {backup.Target}.");
        if (run.IsRollback && failed.Count == 0)
        {
            checklist.Settle(ChecklistTemplate.RestoredFromBackup, ItemStatus.NotRequired,
                "Not needed: the rollback migration brought the catalog back to the expected one." +
                (backup is null ? "" : $" Backup {backup.Id} stays available on the Backups page."));
        }
        return new PostRunEvidence(checklist, findings.Collections.Select(c => new CollectionCheck(c.Collection, c.Passed, c.Summary)).ToList(), performance);
    }

    /// <summary>Monitoring is proven by a run followed to its successful end, not by events alone: a failed run's events show where it stopped.</summary>
    private static string Monitoring(RunResult result, int recorded)
    {
        var events = $"{Counted.Of(recorded, "progress event")} recorded and streamed live to the run page";
        if (!result.Succeeded) return $"The migration did not succeed{(result.Error is { } error ? $" ({error.TrimEnd('.')})" : "")}; {events} up to where it stopped";
        return recorded > 0 ? $"Followed to its end: {events}" : "No progress event was recorded, so nothing shows the migration was followed";
    }

    /// <summary>
    /// The post-migration validation (or the rollback's verification) is every managed collection against the expected catalog and
    /// the post-migration checks: it fails on what fails the run, and is simulated when a check could not run on a simulated target.
    /// </summary>
    private static ItemStatus Validation(PostRunFindings findings) =>
        findings.FailedCollections.Count > 0 ? ItemStatus.Failed : CheckSettling.StatusOf(findings.Checks);

    private static string ValidationEvidence(PostRunFindings findings)
    {
        var failed = findings.FailedCollections;
        var count = findings.Collections.Count;
        var collections = failed.Count == 0
            ? $"All {Counted.Of(count, "managed collection")} match the expected catalog of {findings.Expected}"
            : $"{failed.Count} of {Counted.Of(count, "collection")} differ: {string.Join("; ", failed.Select(f => $"{f.Collection}: {f.Summary}"))}";
        var blocking = findings.Checks.Where(c => c.Blocks).ToList();
        var simulated = findings.Checks.Where(c => c.Outcome == CheckOutcome.Simulated).ToList();
        return collections +
            (blocking.Count > 0 ? $"; blocking: {string.Join("; ", blocking.Select(c => $"{c.Name}: {c.Summary}"))}" : "") +
            (simulated.Count > 0 ? $"; simulated (could not run here): {string.Join(", ", simulated.Select(c => c.Name))}" : "");
    }

    private static bool IsAboutIndexes(CatalogDifference difference) =>
        difference.Kind is DifferenceKind.MissingIndex or DifferenceKind.IndexDiffers or DifferenceKind.UnexpectedIndex or DifferenceKind.MissingCollection;

    private static string Execution(MigrationRun run, RunResult result)
    {
        var completed = $"{run.Direction.Name()} {run.From} → {run.To} completed under the target's lock";
        return result.Outcome switch
        {
            RunOutcome.Succeeded or RunOutcome.ValidationFailed => completed,
            RunOutcome.RolledBack when result.FailedChecks.Count > 0 => $"{completed}, then was rolled back because its validation failed",
            RunOutcome.RollbackFailed when result.FailedChecks.Count > 0 => $"{completed}, then its validation failed and rolling it back failed",
            _ => $"Failed: {result.Error}",
        };
    }

    private static bool IsQueryPlan(CheckResult check) => check.CheckId.StartsWith(Checks.Post.CriticalQueryIndexCheck.IdPrefix, StringComparison.Ordinal);

    private static void SetFromChecks(ChecklistRecorder checklist, string itemId, IReadOnlyList<CheckResult> results, string whenNone)
    {
        var (status, evidence) = Settled(results, whenNone);
        checklist.Settle(itemId, status, evidence);
    }

    private static (ItemStatus Status, string Evidence) Settled(IReadOnlyList<CheckResult> results, string whenNone) =>
        // Nothing to prove is not proven: the item does not apply to this run.
        results.Count == 0
            ? (ItemStatus.NotRequired, whenNone)
            : (CheckSettling.StatusOf(results),
                string.Join("; ", results.Select(r => $"{(r.Blocks ? "FAILED" : r.Verdict)} {r.Name}: {r.Summary} ({r.Duration.TotalMilliseconds:N0} ms)")));
}

/// <summary>The automated items a run's job proved, and its collections' validation when it ran, to apply to the latest run in one save.</summary>
/// <param name="Validation">Null when the validation did not run: the run keeps what it has.</param>
/// <param name="Performance">The critical queries before and after the run; null when none was measured: the run keeps what it has.</param>
internal sealed record PostRunEvidence(ChecklistRecorder Checklist, IReadOnlyList<CollectionCheck>? Validation, RunPerformance? Performance)
{
    public MigrationRun ApplyTo(MigrationRun latest) =>
        Checklist.ApplyTo(latest) with { Validation = Validation ?? latest.Validation, Performance = Performance ?? latest.Performance };
}
