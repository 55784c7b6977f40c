using System.Security.Cryptography;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// Everything a DBA does to a run. Each action checks the actor's role on the server, loads the run at the
/// revision the page showed (a stale page or a second click is refused), changes it through the state
/// machine, saves it conditionally and records the action in the audit log.
/// </summary>
public sealed class RunService(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    MigrationRegistry registry,
    MigrationPlanner planner,
    TargetRegistry targets,
    IRunJobQueue jobs,
    IAuditLog audit,
    TimeProvider time,
    ILogger<RunService> logger)
{
    private const int MinimumReasonLength = 10;

    public Task<MigrationRun> GetAsync(string id, CancellationToken cancellationToken) => repository.LoadAsync(id, null, cancellationToken);

    /// <summary>Creates a run from the target's applied version to <paramref name="to"/> and runs its pre-checks.</summary>
    public async Task<MigrationRun> CreateAsync(Actor actor, string targetName, SchemaVersion to, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "create a run");
        var target = targets.Get(targetName);
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = planner.Plan(history.Applied, to, history);
        if (plan.IsEmpty) throw new ActionRefusedException($"Target '{target.Name}' is already at {to}: there is nothing to run.");
        var run = NewRun(actor, target, plan, RunKind.Migration, rollbackOf: null);
        await repository.InsertAsync(run, $"Created by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.RunCreated, run, $"{run.Direction.Name()} {run.From} → {run.To} on {run.Target} ({run.Tier})", cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    public async Task<MigrationRun> RunPreChecksAsync(Actor actor, string id, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "run pre-checks");
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        if (run.State is not (RunState.Draft or RunState.PreChecks or RunState.AwaitingApproval or RunState.Approved))
        {
            throw new ActionRefusedException($"Run {id} is {run.State}: pre-checks are run before it starts.");
        }
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    public async Task<MigrationRun> TickAsync(Actor actor, string id, string itemId, string? comment, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "tick checklist items");
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        var state = run.Item(itemId) ?? throw new ActionRefusedException($"Run {id} has no checklist item '{itemId}'.");
        var item = ChecklistTemplate.Get(itemId);
        if (item.Kind != ItemKind.Manual) throw new ActionRefusedException($"'{item.Text}' is proved by the portal; nobody ticks it by hand.");
        if (state.Status == ItemStatus.Ticked) throw new ActionRefusedException($"'{item.Text}' was already ticked by {state.By} at {state.At:u}.");
        if (item.CommentRequired && string.IsNullOrWhiteSpace(comment)) throw new ActionRefusedException($"'{item.Text}' needs a comment: write it down.");
        if (run.State == RunState.Cancelled) throw new ActionRefusedException($"Run {id} was cancelled; its checklist is closed.");
        if (item.Phase == ItemPhase.AfterRun && run.State != RunState.Succeeded)
        {
            throw new ActionRefusedException($"'{item.Text}' is ticked after the run has succeeded; run {id} is {run.State}.");
        }
        var ticked = run.WithItem(state with { Status = ItemStatus.Ticked, By = actor.Name, At = Now, Comment = comment?.Trim() });
        var saved = await repository.SaveAsync(run, ticked, $"{actor.Name} ticked '{item.Text}'", cancellationToken);
        await RecordAsync(actor, AuditActions.ChecklistTicked, saved, $"{item.Text}" + (string.IsNullOrWhiteSpace(comment) ? "" : $": {comment.Trim()}"), cancellationToken);
        return saved;
    }

    public async Task<MigrationRun> RequestApprovalAsync(Actor actor, string id, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "request approval");
        var stored = await repository.LoadAsync(id, revision, cancellationToken);
        if (stored.Kind == RunKind.EmergencyRollback) throw new ActionRefusedException("An emergency rollback runs without approval.");
        if (stored.State != RunState.PreChecks) throw new ActionRefusedException(RunStateMachine.Explain(stored, RunState.AwaitingApproval));
        var run = await preChecks.EvaluateAsync(stored, cancellationToken);
        var missing = PreCheckEvaluator.Unsatisfied(run);
        if (missing.Count > 0) throw new ActionRefusedException($"Run {id} is not ready for approval: {string.Join("; ", missing)}.");
        var requested = RunStateMachine.Move(run, RunState.AwaitingApproval, actor.Name, "approval requested", Now) with { ApprovalVoided = null };
        var saved = await repository.SaveAsync(stored, requested, $"{actor.Name} requested approval", cancellationToken);
        await RecordAsync(actor, AuditActions.ApprovalRequested, saved, "all required pre-migration items are settled", cancellationToken);
        return saved;
    }

    /// <param name="andRun">"Approve and run": queue the job right after approving.</param>
    public async Task<MigrationRun> ApproveAsync(Actor actor, string id, long revision, bool andRun, CancellationToken cancellationToken)
    {
        actor.Require(Role.Approver, "approve runs");
        var stored = await repository.LoadAsync(id, revision, cancellationToken);
        if (string.Equals(stored.RequestedBy, actor.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ActionRefusedException($"Four eyes: {actor.Name} requested run {id}, so another Approver must approve it.");
        }
        if (stored.State != RunState.AwaitingApproval) throw new ActionRefusedException(RunStateMachine.Explain(stored, RunState.Approved));
        var run = await preChecks.EvaluateAsync(stored, cancellationToken, PreCheckScope.Quick);
        var missing = PreCheckEvaluator.Unsatisfied(run);
        if (missing.Count > 0)
        {
            var back = RunStateMachine.Move(run, RunState.PreChecks, actor.Name, "pre-checks no longer pass", Now);
            await repository.SaveAsync(stored, back, "Pre-checks no longer pass; back to pre-checks", cancellationToken);
            throw new ActionRefusedException($"Not approved: the pre-checks no longer pass ({string.Join("; ", missing)}). The run went back to pre-checks.");
        }
        var approved = RunStateMachine.Move(run, RunState.Approved, actor.Name, "approved", Now) with
        {
            Approval = new Approval(actor.Name, Now, ApprovalBinding.FactsOf(run)),
            ApprovalVoided = null,
        };
        var saved = await repository.SaveAsync(stored, approved, $"Approved by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.Approved, saved, $"approved {saved.From} → {saved.To}; bound to {saved.Approval!.BoundFacts.Count} facts", cancellationToken);
        return andRun ? await StartAsync(actor, id, saved.Revision, cancellationToken) : saved;
    }

    /// <summary>"Run": queues the job of an approved run (or of an emergency rollback) exactly once.</summary>
    public async Task<MigrationRun> StartAsync(Actor actor, string id, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "start runs");
        var stored = await repository.LoadAsync(id, revision, cancellationToken);
        if (!RunStateMachine.CanMove(stored, RunState.Queued)) throw new ActionRefusedException(RunStateMachine.Explain(stored, RunState.Queued));
        var run = await preChecks.EvaluateAsync(stored, cancellationToken, PreCheckScope.Quick);
        if (run.Approval is { } approval && ApprovalBinding.Changes(approval.BoundFacts, ApprovalBinding.FactsOf(run)) is { Count: > 0 } changes)
        {
            await VoidApprovalAsync(actor, stored, run, changes, cancellationToken);
            throw new ActionRefusedException($"Not started: the approval by {approval.By} is void because {string.Join("; ", changes)}. Run the pre-checks and have it approved again.");
        }
        var missing = PreCheckEvaluator.Unsatisfied(run, RequiredToStart(run));
        if (missing.Count > 0) throw new ActionRefusedException($"Not started: {string.Join("; ", missing)}.");

        var queued = await repository.SaveAsync(stored, RunStateMachine.Move(run, RunState.Queued, actor.Name, "run started", Now),
            $"Queued by {actor.Name}", cancellationToken);
        string jobId;
        try
        {
            jobId = jobs.Enqueue(id);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not queue the job of run {RunId}", id);
            await repository.UpdateAsync(id, r => RunStateMachine.Move(r, RunState.Failed, "portal", "the job could not be queued", Now) with
            {
                Error = $"The background job could not be queued: {e.Message}", FinishedAt = Now,
            }, "The job could not be queued", cancellationToken);
            throw new ActionRefusedException($"Run {id} could not be queued ({e.Message}); it is marked failed and nothing was changed on the target.");
        }
        await RecordAsync(actor, AuditActions.RunQueued, queued, $"background job {jobId}" + (queued.Kind == RunKind.EmergencyRollback ? " (emergency rollback, no approval)" : ""),
            cancellationToken);
        return queued;
    }

    /// <summary>
    /// "Back up now": queues a job that backs up the collections the run touches, verifies the backup by restoring it
    /// elsewhere, and settles the run's backup items; its progress shows on the run page.
    /// </summary>
    public async Task<MigrationRun> BackUpAsync(Actor actor, string id, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "back up targets");
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        if (run.State is not (RunState.Draft or RunState.PreChecks or RunState.AwaitingApproval or RunState.Approved))
        {
            throw new ActionRefusedException($"Run {id} is {run.State}: its backup is taken before it starts.");
        }
        var jobId = jobs.EnqueueBackup(id, actor);
        await RecordAsync(actor, AuditActions.BackupRequested, run, $"backup of {run.Target} for this run queued as background job {jobId}", cancellationToken);
        return run;
    }

    public async Task<MigrationRun> CancelAsync(Actor actor, string id, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "cancel runs");
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        if (run.State is RunState.Validating or RunState.RollingBack)
        {
            throw new ActionRefusedException($"Run {id} is {run.State}: the migration itself is over, so there is nothing left to cancel; it ends in a moment.");
        }
        if (run.State is RunState.Running)
        {
            if (run.CancelRequestedBy is { } who) throw new ActionRefusedException($"{who} has already asked to cancel run {id}; it stops at the next safe point.");
            var requested = await repository.SaveAsync(run, run with { CancelRequestedBy = actor.Name },
                $"{actor.Name} asked to cancel; the run stops at the next safe point and rolls back", cancellationToken);
            await RecordAsync(actor, AuditActions.RunCancelled, requested, "cancellation requested while executing: stops at the next safe point and rolls back", cancellationToken);
            return requested;
        }
        // A queued run has not touched the target; its job, if it ever runs, finds it cancelled and does nothing.
        var cancelled = RunStateMachine.Move(run, RunState.Cancelled, actor.Name, "cancelled before it started", Now) with { FinishedAt = Now };
        var saved = await repository.SaveAsync(run, cancelled, $"Cancelled by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.RunCancelled, saved, "cancelled before it started; nothing was changed on the target", cancellationToken);
        return saved;
    }

    /// <summary>A rollback run that takes the target from its applied version to the version before it.</summary>
    /// <param name="ofRun">The succeeded run being rolled back, or null to roll back the target's applied version.</param>
    public async Task<MigrationRun> CreateRollbackAsync(Actor actor, string targetName, string? ofRun, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "create rollback runs");
        var target = targets.Get(targetName);
        var history = await target.ReadHistoryAsync(cancellationToken);
        if (history.Applied == SchemaVersion.Zero) throw new ActionRefusedException($"Target '{target.Name}' has no migration applied: there is nothing to roll back.");
        if (ofRun is not null)
        {
            var rolledBack = await repository.LoadAsync(ofRun, null, cancellationToken);
            if (rolledBack.State != RunState.Succeeded || rolledBack.Target != target.Name || rolledBack.IsRollback)
            {
                throw new ActionRefusedException(
                    $"Run {ofRun} is a {rolledBack.Kind} run, {rolledBack.State} on {rolledBack.Target}: only a succeeded migration run is rolled back this way (a rollback is undone by migrating up again).");
            }
            if (rolledBack.To != history.Applied)
            {
                throw new ActionRefusedException(
                    $"Target '{target.Name}' moved on since run {ofRun} (it is at {history.Applied}, the run left it at {rolledBack.To}): roll back its applied version instead.");
            }
        }
        var plan = planner.Plan(history.Applied, registry.Previous(history.Applied), history);
        var run = NewRun(actor, target, plan, RunKind.Rollback, ofRun);
        await repository.InsertAsync(run, $"Rollback created by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.RollbackCreated, run, $"roll back {run.From} → {run.To}" + (ofRun is null ? "" : $" (run {ofRun})"), cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    /// <summary>Undoes a failed run at once, without a second approval; the reason is mandatory and recorded.</summary>
    public async Task<MigrationRun> EmergencyRollbackAsync(Actor actor, string failedRunId, string reason, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "start emergency rollbacks");
        RequireReason(reason, "an emergency rollback");
        var failed = await repository.LoadAsync(failedRunId, null, cancellationToken);
        if (failed.State is not (RunState.Failed or RunState.RollbackFailed))
        {
            throw new ActionRefusedException($"Run {failedRunId} is {failed.State}: an emergency rollback is for a failed run whose changes are still in place.");
        }
        var target = targets.Get(failed.Target);
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = planner.Plan(history.Applied, failed.From, history);
        if (plan.IsEmpty || plan.Direction == failed.Direction)
        {
            throw new ActionRefusedException($"Target '{target.Name}' is at {history.Applied}, where run {failedRunId} started: there is nothing to roll back.");
        }
        var run = NewRun(actor, target, plan, RunKind.EmergencyRollback, failedRunId);
        var reasonItem = run.Item(ChecklistTemplate.RollbackReason)!;
        run = run.WithItem(reasonItem with { Status = ItemStatus.Ticked, By = actor.Name, At = Now, Comment = reason.Trim() });
        await repository.InsertAsync(run, $"Emergency rollback started by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.EmergencyRollback, run, $"of failed run {failedRunId}, {run.From} → {run.To}, without a second approval: {reason.Trim()}",
            cancellationToken);
        var checkedRun = await EvaluatePreChecksAsync(actor, run, cancellationToken);
        return await StartAsync(actor, checkedRun.Id, checkedRun.Revision, cancellationToken);
    }

    public async Task<MigrationRun> OverrideStagingAsync(Actor actor, string id, string reason, long revision, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "override the staging requirement");
        RequireReason(reason, "an override");
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        if (run.Tier != TargetTier.Production) throw new ActionRefusedException($"Run {id} is on a {run.Tier} target: only Production runs need a staging run.");
        if (run.State is not (RunState.Draft or RunState.PreChecks or RunState.AwaitingApproval))
        {
            throw new ActionRefusedException($"Run {id} is {run.State}: the staging requirement is waived before approval.");
        }
        var waived = await repository.SaveAsync(run, run with { StagingOverride = new StagingOverride(actor.Name, Now, reason.Trim()) },
            $"{actor.Name} overrode the staging requirement", cancellationToken);
        await RecordAsync(actor, AuditActions.StagingOverride, waived, reason.Trim(), cancellationToken);
        return await EvaluatePreChecksAsync(actor, waived, cancellationToken);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    // An emergency rollback starts from a target known to be wrong (that is why it failed), in a hurry: only the
    // version and the checksums gate it. Drift, backup and integrity checks are still evaluated and shown.
    private static Func<ChecklistItemDefinition, bool>? RequiredToStart(MigrationRun run) =>
        run.Kind == RunKind.EmergencyRollback ? item => item.Id is ChecklistTemplate.CurrentVersion or ChecklistTemplate.ChecksumsUnchanged : null;

    private async Task<MigrationRun> EvaluatePreChecksAsync(Actor actor, MigrationRun run, CancellationToken cancellationToken)
    {
        var evaluated = await preChecks.EvaluateAsync(run, cancellationToken);
        if (run.Approval is { } approval && ApprovalBinding.Changes(approval.BoundFacts, ApprovalBinding.FactsOf(evaluated)) is { Count: > 0 } changes)
        {
            return await VoidApprovalAsync(actor, run, evaluated, changes, cancellationToken);
        }
        var next = run.State == RunState.Draft ? RunStateMachine.Move(evaluated, RunState.PreChecks, actor.Name, "pre-checks run", Now) : evaluated;
        var saved = await repository.SaveAsync(run, next, "Pre-checks run", cancellationToken);
        var failed = PreCheckEvaluator.Unsatisfied(saved).Count(line => !line.EndsWith("is not ticked", StringComparison.Ordinal));
        await RecordAsync(actor, AuditActions.PreChecksRun, saved, failed == 0 ? "all automated pre-checks pass" : $"{failed} automated pre-check(s) do not pass",
            cancellationToken);
        return saved;
    }

    private async Task<MigrationRun> VoidApprovalAsync(Actor actor, MigrationRun stored, MigrationRun evaluated, IReadOnlyList<string> changes,
        CancellationToken cancellationToken)
    {
        var why = $"Approval by {stored.Approval!.By} voided at {Now:u}: {string.Join("; ", changes)}";
        var voided = RunStateMachine.Move(evaluated, RunState.PreChecks, actor.Name, "approval voided", Now) with { Approval = null, ApprovalVoided = why };
        var saved = await repository.SaveAsync(stored, voided, why, cancellationToken);
        await RecordAsync(actor, AuditActions.ApprovalVoided, saved, why, cancellationToken);
        return saved;
    }

    private MigrationRun NewRun(Actor actor, IMigrationTarget target, MigrationPlan plan, RunKind kind, string? rollbackOf) => new()
    {
        Id = $"run-{Now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}",
        Target = target.Name,
        Tier = target.Tier,
        From = plan.From,
        To = plan.To,
        Kind = kind,
        RollbackOf = rollbackOf,
        Checksums = plan.Migrations.Select(m => new VersionChecksum(m.Version, m.Migration.Checksum)).ToList(),
        RequestedBy = actor.Name,
        CreatedAt = Now,
        UpdatedAt = Now,
        State = RunState.Draft,
        Checklist = ChecklistTemplate.NewChecklist(kind),
    };

    private static void RequireReason(string? reason, string what)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < MinimumReasonLength)
        {
            throw new ActionRefusedException($"Write down why for {what} (at least {MinimumReasonLength} characters).");
        }
    }

    private Task RecordAsync(Actor actor, string action, MigrationRun run, string details, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditRecord.By(actor, action, details, run.Target, run.Id), cancellationToken);
}
