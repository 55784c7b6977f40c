using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Checks.Pre;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>How much of the pre-checks to evaluate.</summary>
public enum PreCheckScope
{
    /// <summary>Everything, including the integrity checks, which read the target's documents and may take a while.</summary>
    Full,

    /// <summary>Everything but the integrity checks, whose last result is kept (before approving and starting).</summary>
    Quick,
}

/// <summary>
/// Proves the automated items a run needs before it may be approved and started, each with evidence a DBA can
/// read: the migrations and their inverses, the checksums, a staging run of the same checksums, the live
/// version and catalog of the target, a verified recent backup and the pre-migration integrity checks.
/// </summary>
public sealed class PreCheckEvaluator(
    MigrationRegistry registry,
    MigrationPlanner planner,
    TargetRegistry targets,
    IRunStore runs,
    IBackupService backups,
    IIntegrityChecks checks,
    AdoptionPreChecks adoption,
    BackupOptions options,
    TimeProvider time,
    Fixes.FixPreChecks fixes)
{
    /// <summary>Who settles the automated items, except the backup item, which names who took the backup.</summary>
    public const string Portal = "portal";

    public async Task<MigrationRun> EvaluateAsync(MigrationRun run, CancellationToken cancellationToken, PreCheckScope scope = PreCheckScope.Full)
    {
        if (run.Kind == RunKind.Baseline) return Settle(run, await adoption.EvaluateAsync(run, cancellationToken), takenBy: null);
        if (run.Fix is not null) return await EvaluateFixAsync(run, cancellationToken);
        var (history, live, unreachable) = await ReadTargetAsync(run.Target, cancellationToken);
        var (backup, backupVerified, takenBy) = await BackupAsync(run, cancellationToken);
        var results = new Dictionary<string, (ItemStatus Status, string Evidence)>
        {
            [ChecklistTemplate.Script] = Script(run),
            [ChecklistTemplate.RollbackDocumented] = RollbackProcedure(run),
            [ChecklistTemplate.ChecksumsUnchanged] = Checksums(run, history),
            [ChecklistTemplate.StagingTest] = await StagingAsync(run, cancellationToken),
            [ChecklistTemplate.DraftsReleased] = DraftsReleased(run),
            [ChecklistTemplate.NoDrift] = unreachable is not null ? (ItemStatus.Failed, unreachable) : Drift(run, live!),
            [ChecklistTemplate.CurrentVersion] = unreachable is not null ? (ItemStatus.Failed, unreachable) : CurrentVersion(run, history!),
            [ChecklistTemplate.Backup] = backup,
            [ChecklistTemplate.BackupVerified] = backupVerified,
        };
        if (scope == PreCheckScope.Full)
        {
            var (status, evidence, recorded) = unreachable is not null ? (ItemStatus.Failed, unreachable, run.PreMigrationChecks) : await IntegrityAsync(run, cancellationToken);
            results[ChecklistTemplate.PreValidation] = (status, evidence);
            run = run with { PreMigrationChecks = recorded };
        }
        return Settle(run, results, takenBy);
    }

    /// <summary>A fix run: its backup, as any run's, and the fix's own items; no schema-version item, no migration to read.</summary>
    private async Task<MigrationRun> EvaluateFixAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        var (backup, backupVerified, takenBy) = await BackupAsync(run, cancellationToken);
        var results = new Dictionary<string, (ItemStatus Status, string Evidence)>(await fixes.EvaluateAsync(run, cancellationToken))
        {
            [ChecklistTemplate.Backup] = backup,
            [ChecklistTemplate.BackupVerified] = backupVerified,
        };
        return Settle(run, results, takenBy);
    }

    private MigrationRun Settle(MigrationRun run, IReadOnlyDictionary<string, (ItemStatus Status, string Evidence)> results, string? takenBy)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return results
            .Where(result => run.Item(result.Key) is not null)
            .Aggregate(run, (updated, result) => updated.WithItem(new ChecklistItemState
            {
                ItemId = result.Key, Status = result.Value.Status, Evidence = result.Value.Evidence, At = now,
                // Taking the backup is part of preparing the run: the four-eyes rule must know who did it.
                By = result.Key == ChecklistTemplate.Backup && takenBy is not null ? takenBy : Portal,
            }));
    }

    /// <summary>The required items of the phase before approval that are not settled, as lines for the DBA.</summary>
    public static IReadOnlyList<string> Unsatisfied(MigrationRun run, Func<ChecklistItemDefinition, bool>? counts = null) =>
        UnsettledItems.Of(run, ItemPhase.BeforeApproval)
            .Where(i => counts is null || counts(i.Definition))
            .Select(i => i.Definition.Kind == ItemKind.Manual
                ? $"'{i.Definition.Text}' is not ticked"
                : $"'{i.Definition.Text}' {(i.State.Status == ItemStatus.Open ? "has not been checked" : "failed")}{(i.State.Evidence is { } e ? $": {e}" : "")}")
            .ToList();

    private async Task<(TargetHistory? History, SchemaCatalog? Live, string? Unreachable)> ReadTargetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var target = targets.Get(name);
            return (await target.ReadHistoryAsync(cancellationToken), await target.ReadCatalogAsync(cancellationToken), null);
        }
        catch (MigrationEngineException e)
        {
            return (null, null, e.Message);
        }
    }

    /// <summary>
    /// The run's backup items from its newest backup (taken for it or attached to it) that the scope rule allows (<see cref="RunBackupRules.CheckScope"/>):
    /// created when there is one, verified when the newest verified one was verified recently enough. Who took a backup for the run prepared it;
    /// an attached backup's taker did not (who attached it did, see <see cref="RunRules.Preparations"/>).
    /// </summary>
    private async Task<((ItemStatus, string) Created, (ItemStatus, string) Verified, string? TakenBy)> BackupAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        var all = RunBackupRules.OfRun(run, await backups.ListAsync(cancellationToken));
        if (all.Count == 0)
        {
            var none = BackupEvidence.None(run, options.AttachMaxAge);
            return ((ItemStatus.Failed, none), (ItemStatus.Failed, none), null);
        }
        var taken = all.Where(b => RunBackupRules.CheckScope(run, b.WholeDatabase ? BackupScope.WholeDatabase : BackupScope.TouchedCollections).Allowed).ToList();
        if (taken.Count == 0)
        {
            var refused = $"{BackupEvidence.Describe(all[0])}: {RunBackupRules.CheckScope(run, BackupScope.TouchedCollections).Refusal}";
            return ((ItemStatus.Failed, refused), (ItemStatus.Failed, refused), null);
        }
        var latest = taken[0];
        var takenBy = latest.Id == run.AttachedBackup?.BackupId ? null : latest.CreatedBy;
        var created = (ItemStatus.Passed, BackupEvidence.Created(latest, run.AttachedBackup));
        var verified = taken.FirstOrDefault(b => b.IsVerified);
        if (verified is null)
        {
            return (created, (ItemStatus.Failed, latest.Verification is { } failed
                ? $"Verification of backup {latest.Id} failed at {failed.At:u}: {string.Join("; ", failed.Details)}. Back up again."
                : $"Backup {latest.Id} has not been verified yet."), takenBy);
        }
        var age = time.GetUtcNow().UtcDateTime - verified.Verification!.At;
        return (created, age > TimeSpan.FromHours(options.MaxAgeHours)
            ? (ItemStatus.Failed, $"Backup {verified.Id} was verified {age.TotalHours:N0} h ago, more than {options.MaxAgeHours} h: back up again.")
            : (ItemStatus.Passed, BackupEvidence.Verified(verified)), takenBy);
    }

    /// <summary>
    /// The gates of the contracts the plan applies, run again as its job starts: what the checklist recorded was true before approval,
    /// and an old release may have written the old field alone since (the contract would then leave documents its validator refuses).
    /// </summary>
    /// <returns>Why the run may not start now, or null.</returns>
    public async Task<string?> ContractGateRefusalAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        foreach (var contract in ContractGateCheck.ContractsOf(plan))
        {
            var result = await checks.RunOneAsync(ContractGateCheck.IdOf(contract), target, plan, cancellationToken);
            if (result.Blocks) return $"the gate of contract {contract.Version} no longer passes on {target.Name}: {result.Summary}";
        }
        return null;
    }

    /// <returns>The item's status and a short evidence line; each check, for the pre-checks table (kept as they were when the target cannot be read).</returns>
    private async Task<(ItemStatus, string, IReadOnlyList<RecordedCheck>)> IntegrityAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        try
        {
            var results = await checks.RunPreMigrationAsync(targets.Get(run.Target), planner.Plan(run.From, run.To), cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var recorded = results.Select(r => RecordedCheck.Of(r, now)).ToList();
            var blocking = results.Where(r => r.Blocks).ToList();
            var warnings = results.Where(r => r.Failed && !r.Blocks).ToList();
            var simulated = results.Count(r => r.Outcome == CheckOutcome.Simulated);
            // One line: each check, with what it found, is in the run's pre-checks table.
            return CheckSettling.StatusOf(results) switch
            {
                ItemStatus.Failed => (ItemStatus.Failed,
                    $"Blocked by {string.Join("; ", blocking.Select(b => $"'{b.Name}': {b.Summary}"))} ({Counted.Of(results.Count, "check")} in all, listed under Pre-checks).",
                    recorded),
                var status => (status, $"{Counted.Of(results.Count, "check")}, none blocking" +
                    $"{(warnings.Count > 0 ? $", {Counted.Of(warnings.Count, "warning")}" : "")}" +
                    $"{(simulated > 0 ? $", {simulated} simulated (could not run on a simulated target)" : "")}; each is listed under Pre-checks.", recorded),
            };
        }
        catch (MigrationEngineException e)
        {
            return (ItemStatus.Failed, e.Message, run.PreMigrationChecks);
        }
    }

    private (ItemStatus, string) Script(MigrationRun run)
    {
        try
        {
            var plan = planner.Plan(run.From, run.To);
            planner.Plan(run.To, run.From);
            return (ItemStatus.Passed,
                $"{Counted.Of(plan.Migrations.Count, "migration")} ({string.Join(", ", plan.Migrations.Select(m => $"{m.Version} {m.Migration.SourceFileName}"))}), " +
                $"{plan.Migrations.Sum(m => m.Steps.Count)} steps, each with a derived inverse; validated by comparing the live catalog with the expected one.");
        }
        catch (MigrationEngineException e)
        {
            return (ItemStatus.Failed, e.Message);
        }
    }

    /// <summary>A draft (the spec's "Pending") runs on Production only when an Admin released it in writing for this run.</summary>
    private (ItemStatus, string) DraftsReleased(MigrationRun run)
    {
        var drafts = Drafts(run);
        if (drafts.Count == 0) return (ItemStatus.NotRequired, "This run applies no draft migration.");
        var named = string.Join(", ", drafts);
        if (!DraftRule.NeedsRelease(run.Tier, drafts)) return (ItemStatus.NotRequired, $"{named}: draft, released only for Production; this is a {run.Tier} target.");
        return run.DraftRelease is { } release && drafts.All(release.Drafts.Contains)
            ? (ItemStatus.Overridden, $"{named}: draft, released for Production by {release.By} at {release.At:u}: \"{release.Note}\"")
            : (ItemStatus.Failed, $"{named}: draft (the spec marks it Pending). An Admin must release it for Production in writing (\"Release drafts\").");
    }

    /// <summary>The draft migrations <paramref name="run"/> applies (a rollback undoes them, which needs no release).</summary>
    public IReadOnlyList<SchemaVersion> Drafts(MigrationRun run) => DraftRule.Applied(registry, run.Direction, run.Checksums.Select(c => c.Version));

    private (ItemStatus, string) RollbackProcedure(MigrationRun run)
    {
        try
        {
            var undo = planner.Plan(run.To, run.From);
            var steps = undo.Migrations.SelectMany(m => m.Steps.Select(s => $"{m.Version}: {s.Step.Description}")).ToList();
            return (ItemStatus.Passed, $"Rollback {run.To} → {run.From} in {steps.Count} steps: {string.Join("; ", steps.Take(6))}{(steps.Count > 6 ? "; …" : "")}");
        }
        catch (MigrationEngineException e)
        {
            return (ItemStatus.Failed, $"No rollback can be derived: {e.Message}");
        }
    }

    private (ItemStatus, string) Checksums(MigrationRun run, TargetHistory? history)
    {
        var changed = run.Checksums
            .Select(c => (Recorded: c, Now: registry.Find(c.Version)?.Checksum))
            .Where(c => c.Now != c.Recorded.Checksum)
            .Select(c => $"{c.Recorded.Version} was {c.Recorded.Checksum[..12]}, this build has {c.Now?[..12] ?? "no such migration"}")
            .ToList();
        var modified = history is null ? [] : MigrationStatus.For(registry, history).Where(s => s.State == MigrationState.Modified)
            .Select(s => $"{s.Migration.Version} {s.Explanation}").ToList();
        if (changed.Count > 0) return (ItemStatus.Failed, $"Changed since the run was created: {string.Join("; ", changed)}. Cancel this run and create a new one.");
        if (modified.Count > 0) return (ItemStatus.Failed, $"Applied migrations were edited afterwards: {string.Join("; ", modified)}.");
        return (ItemStatus.Passed, $"Unchanged since the run was created: {string.Join(", ", run.Checksums.Select(c => $"{c.Version} {c.Checksum[..12]}"))}.");
    }

    private async Task<(ItemStatus, string)> StagingAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        var restored = await backups.ListAsync(cancellationToken);
        if (run.Tier == TargetTier.Staging) return StagingRun(run, restored);
        var tested = (await runs.SucceededOnTierAsync(TargetTier.Staging, cancellationToken))
            .Where(staging => staging.Direction == run.Direction)
            .FirstOrDefault(staging => run.Checksums.All(staging.Checksums.Contains));
        if (tested is not null)
        {
            var ran = $"Run {tested.Id} applied the same checksums on Staging target '{tested.Target}' and succeeded ({tested.FinishedAt:u})";
            var data = ProductionLikeData.On(tested.Target, tested.StartedAt ?? tested.CreatedAt, restored) is { } held
                ? $", tested with {ProductionLikeData.Describe(held)}"
                : $"; '{tested.Target}' held no rehearsal restore of a Production backup then";
            // The item claims production-like data; a simulated staging target holds none.
            return targets.IsSandbox
                ? (ItemStatus.Simulated, $"{ran}{data}, but on a simulated target that holds no data: nothing about production-like data was proven.")
                : (ItemStatus.Passed, $"{ran}{data}.");
        }
        if (run.StagingOverride is { } waived)
        {
            return (ItemStatus.Overridden, $"No staging run of these checksums; Admin {waived.By} overrode the requirement at {waived.At:u}: \"{waived.Reason}\"");
        }
        return run.Tier == TargetTier.Production
            ? (ItemStatus.Failed, "No succeeded run of these checksums on a Staging target. Run it on staging first, or an Admin overrides with a written reason.")
            : (ItemStatus.NotRequired, "No staging run of these checksums yet; required only before a Production run.");
    }

    /// <summary>A Staging run is the staging test; its evidence says whether its target holds production-like data now (a rehearsal restore).</summary>
    private (ItemStatus, string) StagingRun(MigrationRun run, IReadOnlyList<BackupManifest> restored)
    {
        const string itIs = "This run is on a Staging target: it is the staging test";
        if (ProductionLikeData.On(run.Target, time.GetUtcNow().UtcDateTime, restored) is not { } held)
        {
            return (ItemStatus.NotRequired, $"{itIs}. '{run.Target}' holds no rehearsal restore of a Production backup: an Admin restores one into it on the Backups page " +
                "(Restore into another target…) to test on production-like data.");
        }
        return targets.IsSandbox
            ? (ItemStatus.Simulated, $"{itIs}, with {ProductionLikeData.Describe(held)} (simulated: the collections hold no documents).")
            : (ItemStatus.Passed, $"{itIs}, with {ProductionLikeData.Describe(held)}.");
    }

    /// <summary>The target's drift now, for an Admin who accepts it on a run.</summary>
    public async Task<DriftReport> DriftAsync(string target, CancellationToken cancellationToken) =>
        DriftReport.Of(registry, await targets.Get(target).ReadCatalogAsync(cancellationToken));

    private (ItemStatus, string) Drift(MigrationRun run, SchemaCatalog live)
    {
        try
        {
            var report = DriftReport.Of(registry, live);
            var notDrift = string.Concat(report.Differences.Where(d => d.Severity != DriftSeverity.Blocking)
                .Select(d => $" {(d.Severity == DriftSeverity.Tolerated ? "Tolerated" : "Informational")}: {d.Describe()}."));
            if (!report.HasDrift) return (ItemStatus.Passed, $"No blocking difference from the expected catalog of {report.Version}.{notDrift}");
            var blocking = string.Join("; ", report.Blocking.Select(d => d.Describe()));
            return run.DriftAcceptance switch
            {
                { } accepted when accepted.Fingerprint == report.Fingerprint => (ItemStatus.Overridden,
                    $"Blocking drift accepted by Admin {accepted.By} at {accepted.At:u}: \"{accepted.Reason}\". The differences: {blocking}.{notDrift}"),
                { } accepted => (ItemStatus.Failed,
                    $"The drift {accepted.By} accepted has changed, so the acceptance no longer holds (accepted: {string.Join("; ", accepted.Differences)}). " +
                    $"Now: {blocking}. An Admin must accept again or the target be repaired.{notDrift}"),
                _ => (ItemStatus.Failed, $"{Counted.Of(report.Blocking.Count, "blocking difference")} from the expected catalog of {report.Version}: {blocking}. " +
                    $"Repair the target, or an Admin accepts the drift with a written reason.{notDrift}"),
            };
        }
        catch (MigrationEngineException e)
        {
            return (ItemStatus.Failed, e.Message);
        }
    }

    private static (ItemStatus, string) CurrentVersion(MigrationRun run, TargetHistory history) =>
        history.Applied == run.From
            ? (ItemStatus.Passed, $"The target is at {history.Applied}, where this run starts" +
                (history.UpdatedAt is { } at ? $" (set {at:u} by {history.UpdatedBy})." : "."))
            : (ItemStatus.Failed, $"The target is at {history.Applied}, but this run starts at {run.From}: it was migrated meanwhile. Cancel this run and create a new one.");
}
