using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Runs;

/// <summary>What an emergency rollback of a failed run would do, shown to the person before they confirm it.</summary>
/// <param name="Undo">The plan from the target's version back to where the failed run started: only that run's migrations.</param>
/// <param name="Backup">The failed run's verified backup, the last resort if the rollback fails; null when it has none.</param>
/// <param name="TargetNameRequired">On Production the person types the target's name to confirm.</param>
public sealed record EmergencyRollbackPreview(MigrationRun Failed, MigrationPlan Undo, BackupManifest? Backup, bool TargetNameRequired)
{
    public IReadOnlyList<string> Steps => Undo.Migrations.SelectMany(m => m.Steps.Select(s => $"{m.Version} {m.Direction.Name()}: {s.Step.Description}")).ToList();
}

/// <summary>What the person wrote and typed to confirm an emergency rollback.</summary>
/// <param name="WithoutBackupReason">Why it may run although the failed run has no verified backup; ignored when it has one.</param>
/// <param name="TypedTargetName">The target's name as typed (needed on Production).</param>
public sealed record EmergencyRollbackRequest(string Reason, string? WithoutBackupReason = null, string? TypedTargetName = null);

/// <summary>
/// Everything a DBA does to a run. Each action reads the caller from the store at that moment and asks
/// <see cref="RunRules"/> (refusals are audited), loads the run at the revision the page showed (a stale page or a second
/// click is refused), changes it through the state machine, saves it conditionally and records the action in the audit log.
/// </summary>
public sealed class RunService(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    MigrationRegistry registry,
    MigrationPlanner planner,
    TargetRegistry targets,
    IBackupService backups,
    IRunJobQueue jobs,
    ActionAuthorizer authorizer,
    IAuditLog audit,
    TimeProvider time,
    ILogger<RunService> logger,
    INotificationStore notifications)
{
    public Task<MigrationRun> GetAsync(string id, CancellationToken cancellationToken) => repository.LoadAsync(id, null, cancellationToken);

    /// <summary>Creates a run from the target's applied version to <paramref name="to"/> and runs its pre-checks.</summary>
    public async Task<MigrationRun> CreateAsync(Caller caller, string targetName, SchemaVersion to, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, $"create a run on {targetName}", a => Verdict.Role(a, Role.Operator, "create runs"), cancellationToken,
            targetName);
        var target = targets.Get(targetName);
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = planner.Plan(history.Applied, to, history);
        if (plan.IsEmpty) throw new ActionRefusedException($"Target '{target.Name}' is already at {to}: there is nothing to run.");
        var run = NewRun(actor, target, plan, RunKind.Migration, rollbackOf: null);
        await repository.InsertAsync(run, $"Created by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.RunCreated, run, $"{run.Direction.Name()} {run.From} → {run.To} on {run.Target} ({run.Tier})", cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    public async Task<MigrationRun> RunPreChecksAsync(Caller caller, string id, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.RunPreChecks, id, revision, cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    public async Task<MigrationRun> TickAsync(Caller caller, string id, string itemId, string? comment, long revision, CancellationToken cancellationToken)
    {
        var attempted = $"tick '{itemId}' on run {id}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        await authorizer.RequireAsync(actor, RunRules.CheckTick(run, itemId, actor), attempted, cancellationToken, run.Target, run.Id);
        var item = ChecklistTemplate.Get(itemId);
        var note = FreeText.Comment(comment, "comment");
        if (item.CommentRequired && note is null) throw new ActionRefusedException($"'{item.Text}' needs a comment: write it down.");
        var ticked = run.WithItem(run.Item(itemId)! with { Status = ItemStatus.Ticked, By = actor.Name, At = Now, Comment = note });
        var saved = await repository.SaveAsync(run, ticked, $"{actor.Name} ticked '{item.Text}'", cancellationToken);
        await RecordAsync(actor, AuditActions.ChecklistTicked, saved, item.Text + (note is null ? "" : $": {note}"), cancellationToken);
        return saved;
    }

    public async Task<MigrationRun> RequestApprovalAsync(Caller caller, string id, long revision, CancellationToken cancellationToken)
    {
        var (actor, stored) = await AuthorizeAsync(caller, RunAction.RequestApproval, id, revision, cancellationToken);
        var run = await preChecks.EvaluateAsync(stored, cancellationToken);
        var missing = PreCheckEvaluator.Unsatisfied(run, NotifiedTeamItems.RequiredToRequestApproval(await notifications.ListChannelsAsync(cancellationToken)));
        if (missing.Count > 0) throw new ActionRefusedException($"Run {id} is not ready for approval: {string.Join("; ", missing)}.");
        var requested = RunStateMachine.Move(run, RunState.AwaitingApproval, actor.Name, "approval requested", Now) with { ApprovalVoided = null, SentBack = null };
        var saved = await repository.SaveAsync(stored, requested, $"{actor.Name} requested approval", cancellationToken);
        await RecordAsync(actor, AuditActions.ApprovalRequested, saved, "all required pre-migration items are settled", cancellationToken);
        return saved;
    }

    /// <param name="andRun">"Approve and run": queue the job right after approving (on Production only with the target's name typed: see the overload).</param>
    public Task<MigrationRun> ApproveAsync(Caller caller, string id, long revision, bool andRun, CancellationToken cancellationToken) =>
        ApproveAsync(caller, id, revision, andRun, typedTargetName: null, cancellationToken);

    /// <param name="andRun">"Approve and run": queue the job right after approving.</param>
    /// <param name="typedTargetName">The target's name as the person typed it: "Approve and run" on Production needs it (<see cref="RunRules.CheckTargetName"/>).</param>
    public async Task<MigrationRun> ApproveAsync(Caller caller, string id, long revision, bool andRun, string? typedTargetName, CancellationToken cancellationToken)
    {
        var action = andRun ? RunAction.ApproveAndRun : RunAction.Approve;
        var (actor, stored) = await AuthorizeAsync(caller, action, id, revision, cancellationToken);
        await RequireTargetNameAsync(actor, action, stored, typedTargetName, cancellationToken);
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
        return andRun ? await StartCheckedAsync(actor, saved, cancellationToken) : saved;
    }

    /// <summary>
    /// "Send back": an Approver who may approve the run returns it, with a written reason, to the person who asked for approval. It goes
    /// back to pre-checks (where it was when she asked), where she changes what is needed and asks again; nothing else on it changes.
    /// </summary>
    public async Task<MigrationRun> SendBackAsync(Caller caller, string id, string reason, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.SendBack, id, revision, cancellationToken);
        var written = FreeText.Reason(reason, "sending a run back");
        // The rule allows it only while the run awaits approval, which only "Request approval" leads to.
        var askedBy = run.ApprovalRequest()!.By;
        var sentBack = RunStateMachine.Move(run, RunState.PreChecks, actor.Name, $"sent back to {askedBy}: {written}", Now) with
        {
            SentBack = new SentBack(actor.Name, Now, written, askedBy),
        };
        var saved = await repository.SaveAsync(run, sentBack, $"{actor.Name} sent the run back to {askedBy}", cancellationToken);
        await RecordAsync(actor, AuditActions.RunSentBack, saved, $"sent back to {askedBy}: {written}", cancellationToken);
        return saved;
    }

    /// <summary>
    /// Adds a comment to the run, in any state. It does not depend on what the page showed, so it goes onto the run as stored now
    /// (a run that moved on meanwhile still takes it); the person and her role are checked at the act as for any action.
    /// </summary>
    public async Task<MigrationRun> CommentAsync(Caller caller, string id, string text, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.Comment, id, null, cancellationToken);
        var written = FreeText.Comment(text, "comment") ?? throw new ActionRefusedException("The comment is empty: write it first.");
        var comment = new RunComment(actor.Name, Now, written);
        var saved = await repository.UpdateAsync(run.Id, latest => latest with { Comments = [.. latest.Comments, comment] }, $"{actor.Name} commented",
            cancellationToken);
        await RecordAsync(actor, AuditActions.RunCommented, saved, written, cancellationToken);
        return saved;
    }

    /// <summary>"Run" (or "Run again" after its job refused to start it): queues the job of an approved run or of an emergency rollback exactly once.</summary>
    public Task<MigrationRun> StartAsync(Caller caller, string id, long revision, CancellationToken cancellationToken) =>
        StartAsync(caller, id, revision, typedTargetName: null, cancellationToken);

    /// <param name="typedTargetName">The target's name as the person typed it: needed on Production (<see cref="RunRules.CheckTargetName"/>).</param>
    public async Task<MigrationRun> StartAsync(Caller caller, string id, long revision, string? typedTargetName, CancellationToken cancellationToken)
    {
        var (actor, stored) = await AuthorizeAsync(caller, RunAction.Start, id, revision, cancellationToken);
        await RequireTargetNameAsync(actor, RunAction.Start, stored, typedTargetName, cancellationToken);
        return await QueueAsync(actor, stored, await preChecks.EvaluateAsync(stored, cancellationToken, PreCheckScope.Quick), cancellationToken);
    }

    /// <summary>
    /// Queues the job of <paramref name="stored"/> unless its approval is void or a required pre-check fails. The job checks again
    /// when it starts, as the queue may hold it for a while.
    /// </summary>
    /// <param name="run"><paramref name="stored"/> with its pre-checks evaluated in this same action (not evaluated twice per click).</param>
    private async Task<MigrationRun> QueueAsync(Actor actor, MigrationRun stored, MigrationRun run, CancellationToken cancellationToken)
    {
        var id = stored.Id;
        if (run.Approval is { } approval && await WhyApprovalIsVoidAsync(approval, run, cancellationToken) is { Count: > 0 } changes)
        {
            await VoidApprovalAsync(actor, stored, run, changes, cancellationToken);
            throw new ActionRefusedException($"Not started: the approval by {approval.By} is void because {string.Join("; ", changes)}. Run the pre-checks and have it approved again.");
        }
        var missing = PreCheckEvaluator.Unsatisfied(run, RequiredToStart(run));
        if (missing.Count > 0) throw new ActionRefusedException($"Not started: {string.Join("; ", missing)}.");

        var queued = await repository.SaveAsync(stored, RunStateMachine.Move(run, RunState.Queued, actor.Name, "run started", Now) with { Error = null },
            $"Queued by {actor.Name}", cancellationToken);
        string jobId;
        try
        {
            jobId = jobs.Enqueue(queued);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not queue the job of run {RunId}", id);
            var why = $"The background job could not be queued ({e.Message}); nothing was changed on the target. Run it again once the job system is back.";
            await repository.UpdateAsync(id, r => RunStateMachine.Move(r, RunState.NotStarted, "portal", "the job could not be queued", Now) with { Error = why },
                "The job could not be queued", cancellationToken);
            throw new ActionRefusedException($"Run {id} could not be queued: {why}");
        }
        await RecordAsync(actor, AuditActions.RunQueued, queued, $"background job {jobId}" + (queued.Kind == RunKind.EmergencyRollback ? " (emergency rollback, no approval)" : ""),
            cancellationToken);
        return queued;
    }

    /// <summary>"Back up now" with the run's default scope (<see cref="RunBackupRules.DefaultScope"/>): see the overload.</summary>
    public Task<MigrationRun> BackUpAsync(Caller caller, string id, long revision, CancellationToken cancellationToken) =>
        BackUpAsync(caller, id, scope: null, revision, cancellationToken);

    /// <summary>
    /// "Back up now": queues a job that backs up the target (the whole database, or the collections the run touches, where
    /// <see cref="RunBackupRules.CheckScope"/> allows it), verifies the backup by restoring it elsewhere, and settles the run's backup
    /// items; its progress shows on the run page.
    /// </summary>
    /// <param name="scope">What to back up; null for the run's default (<see cref="RunBackupRules.DefaultScope"/>).</param>
    public async Task<MigrationRun> BackUpAsync(Caller caller, string id, BackupScope? scope, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.BackUp, id, revision, cancellationToken);
        var chosen = scope ?? RunBackupRules.DefaultScope(run);
        await authorizer.RequireAsync(actor, RunBackupRules.CheckScope(run, chosen), $"{Describe(RunAction.BackUp)} run {id}", cancellationToken, run.Target, run.Id);
        var jobId = jobs.EnqueueBackup(run, actor, chosen);
        await RecordAsync(actor, AuditActions.BackupRequested, run, $"backup of {run.Target} ({chosen.Words()}) for this run queued as background job {jobId}", cancellationToken);
        return run;
    }

    public async Task<MigrationRun> CancelAsync(Caller caller, string id, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.Cancel, id, revision, cancellationToken);
        if (run.State is RunState.Running)
        {
            var requested = await repository.SaveAsync(run, run with { CancelRequestedBy = actor.Name },
                $"{actor.Name} asked to cancel; the run stops at the next safe point and rolls back", cancellationToken);
            await RecordAsync(actor, AuditActions.RunCancelled, requested, "cancellation requested while executing: stops at the next safe point and rolls back", cancellationToken);
            return requested;
        }
        // A queued run has not touched the target; its job, if it ever runs, finds it cancelled and does nothing.
        var cancelled = RunStateMachine.Move(run, RunState.Cancelled, actor.Name, "cancelled before it started", Now) with { FinishedAt = Now, Schedule = null };
        var saved = await repository.SaveAsync(run, cancelled, $"Cancelled by {actor.Name}", cancellationToken);
        if (run.Schedule is { } schedule) jobs.Unschedule(schedule.JobId);
        await RecordAsync(actor, AuditActions.RunCancelled, saved, "cancelled before it started; nothing was changed on the target", cancellationToken);
        return saved;
    }

    /// <summary>
    /// "Pause": asks the running run's job to hold its data step at the next batch boundary (the job may run on another portal instance: the
    /// request is stored on the run, and the job acknowledges it there). The step's checkpoint stays; the run stays Running.
    /// </summary>
    public async Task<MigrationRun> PauseAsync(Caller caller, string id, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.Pause, id, revision, cancellationToken);
        var pause = new DataStepPause(actor.Name, Now);
        var saved = await repository.SaveAsync(run, run with
        {
            Pause = pause,
            Pauses = [.. run.Pauses, new PauseRecord(PauseRecord.Asked, actor.Name, Now, "the running data step stops at its next batch boundary")],
        }, $"{actor.Name} asked to pause: the running data step stops at its next batch boundary", cancellationToken);
        logger.LogInformation("Run {RunId}: {User} asked to pause its data step", id, actor.Name);
        await RecordAsync(actor, AuditActions.RunPaused, saved, "pause asked: the running data step stops at its next batch boundary, its checkpoint kept", cancellationToken);
        return saved;
    }

    /// <summary>"Resume": lifts the pause; the job continues the data step with its next batch (or, when it had not reached a boundary yet, never stops).</summary>
    public async Task<MigrationRun> ResumeAsync(Caller caller, string id, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.Resume, id, revision, cancellationToken);
        var pause = run.Pause!;
        var details = pause.Reached is { } point
            ? $"continues after {point.Processed:N0}/{point.Total:N0} documents{(point.Simulated ? " (simulated)" : "")} with batch {point.Batch + 1:N0} of step {point.StepKey}; " +
              $"paused by {pause.By} for {Math.Max(0, (Now - point.At).TotalSeconds):N0} s"
            : $"the pause {pause.By} asked for at {pause.At:u} is lifted before the step reached a batch boundary";
        var saved = await repository.SaveAsync(run, run with
        {
            Pause = null,
            Pauses = [.. run.Pauses, new PauseRecord(PauseRecord.Resumed, actor.Name, Now, details)],
        }, $"{actor.Name} resumed: {details}", cancellationToken);
        logger.LogInformation("Run {RunId}: {User} resumed its data step", id, actor.Name);
        await RecordAsync(actor, AuditActions.RunResumed, saved, details, cancellationToken);
        return saved;
    }

    /// <summary>What a rollback run to <paramref name="to"/> would undo, for the person to read before creating it (refused as creating it would be).</summary>
    /// <param name="to">Where to take the target; null for the default (see <see cref="CreateRollbackAsync"/>).</param>
    public async Task<RollbackPreview> PreviewRollbackAsync(Caller caller, string targetName, string? ofRun, SchemaVersion? to, CancellationToken cancellationToken)
    {
        var (_, target, plan) = await RollbackPlanAsync(caller, targetName, ofRun, to, cancellationToken);
        return RollbackPreview.Of(target, ofRun, plan, registry.Below(plan.From));
    }

    /// <summary>A rollback run that takes the target from its applied version back to <paramref name="to"/>.</summary>
    /// <param name="ofRun">The succeeded run being rolled back, or null to roll back the target's applied version.</param>
    /// <param name="to">
    /// Where to take the target; null for the default: where <paramref name="ofRun"/> started (all of that run is undone, not only its
    /// last migration), or the version before the applied one.
    /// </param>
    public async Task<MigrationRun> CreateRollbackAsync(Caller caller, string targetName, string? ofRun, SchemaVersion? to, CancellationToken cancellationToken)
    {
        var (actor, target, plan) = await RollbackPlanAsync(caller, targetName, ofRun, to, cancellationToken);
        var run = NewRun(actor, target, plan, RunKind.Rollback, ofRun);
        await repository.InsertAsync(run, $"Rollback created by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.RollbackCreated, run, $"roll back {run.From} → {run.To}" + (ofRun is null ? "" : $" (run {ofRun})"), cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    private async Task<(Actor Actor, IMigrationTarget Target, MigrationPlan Plan)> RollbackPlanAsync(
        Caller caller, string targetName, string? ofRun, SchemaVersion? to, CancellationToken cancellationToken)
    {
        var attempted = $"create a rollback run on {targetName}";
        var actor = await authorizer.AuthorizeAsync(caller, attempted, a => Verdict.Role(a, Role.Operator, "create rollback runs"), cancellationToken, targetName);
        var target = targets.Get(targetName);
        var history = await target.ReadHistoryAsync(cancellationToken);
        if (history.Applied == SchemaVersion.Zero) throw new ActionRefusedException($"Target '{target.Name}' has no migration applied: there is nothing to roll back.");
        var defaultTo = registry.Previous(history.Applied);
        if (ofRun is not null)
        {
            var rolledBack = await repository.LoadAsync(ofRun, null, cancellationToken);
            await authorizer.RequireAsync(actor, RunRules.Check(RunAction.CreateRollback, rolledBack, actor), attempted, cancellationToken, target.Name, ofRun);
            if (rolledBack.Target != target.Name || rolledBack.To != history.Applied)
            {
                throw new ActionRefusedException(
                    $"Target '{target.Name}' moved on since run {ofRun} (it is at {history.Applied}, the run left {rolledBack.Target} at {rolledBack.To}): roll back its applied version instead.");
            }
            defaultTo = rolledBack.From;
        }
        var back = to ?? defaultTo;
        if (back >= history.Applied || !registry.IsKnown(back))
        {
            throw new BadInputException($"Target '{target.Name}' is at {history.Applied}: it can be rolled back to {string.Join(", ", registry.Below(history.Applied))}, not {back}.");
        }
        return (actor, target, planner.Plan(history.Applied, back, history));
    }

    /// <summary>What an emergency rollback of <paramref name="failedRunId"/> would undo, refused when it is not offered (see <see cref="RunRules.CheckEmergencyRollback"/>).</summary>
    public async Task<EmergencyRollbackPreview> PreviewEmergencyRollbackAsync(Caller caller, string failedRunId, CancellationToken cancellationToken)
    {
        var (_, preview) = await EmergencyRollbackPlanAsync(caller, failedRunId, cancellationToken);
        return preview;
    }

    /// <summary>
    /// Undoes what a failed run left applied, at once, without a second approval: only that run's migrations (as previewed),
    /// with a written reason, with the run's verified backup in reserve or a written reason to go without, and on
    /// Production with the target's name typed.
    /// </summary>
    public async Task<MigrationRun> EmergencyRollbackAsync(Caller caller, string failedRunId, EmergencyRollbackRequest request, CancellationToken cancellationToken)
    {
        var (actor, preview) = await EmergencyRollbackPlanAsync(caller, failedRunId, cancellationToken);
        var reason = FreeText.Reason(request.Reason, "an emergency rollback");
        var withoutBackup = preview.Backup is null ? FreeText.Reason(request.WithoutBackupReason, "an emergency rollback without a verified backup") : null;
        await RequireTargetNameAsync(actor, RunAction.EmergencyRollback, preview.Failed, request.TypedTargetName, cancellationToken);
        var target = targets.Get(preview.Failed.Target);
        var run = NewRun(actor, target, preview.Undo, RunKind.EmergencyRollback, failedRunId);
        run = run.WithItem(run.Item(ChecklistTemplate.RollbackReason)! with { Status = ItemStatus.Ticked, By = actor.Name, At = Now, Comment = reason });
        await repository.InsertAsync(run, $"Emergency rollback started by {actor.Name}", cancellationToken);
        var backupNote = preview.Backup is { } backup ? $"backup {backup.Id} in reserve" : $"no verified backup: {withoutBackup}";
        await RecordAsync(actor, AuditActions.EmergencyRollback, run,
            $"of failed run {failedRunId}, {run.From} → {run.To} ({preview.Steps.Count} steps), without a second approval; {backupNote}: {reason}", cancellationToken);
        return await StartCheckedAsync(actor, await EvaluatePreChecksAsync(actor, run, cancellationToken), cancellationToken);
    }

    public async Task<MigrationRun> OverrideStagingAsync(Caller caller, string id, string reason, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.OverrideStaging, id, revision, cancellationToken);
        var written = FreeText.Reason(reason, "an override");
        var waived = await repository.SaveAsync(run, run with { StagingOverride = new StagingOverride(actor.Name, Now, written) },
            $"{actor.Name} overrode the staging requirement", cancellationToken);
        await RecordAsync(actor, AuditActions.StagingOverride, waived, written, cancellationToken);
        return await EvaluatePreChecksAsync(actor, waived, cancellationToken);
    }

    /// <summary>
    /// An Admin accepts the target's blocking drift for this run, in writing; the acceptance is bound to exactly the differences
    /// there are now (the pre-checks fail again as soon as they change) and is shown on the run and in the audit log.
    /// </summary>
    public async Task<MigrationRun> AcceptDriftAsync(Caller caller, string id, string reason, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.AcceptDrift, id, revision, cancellationToken);
        var written = FreeText.Reason(reason, "accepting drift");
        var drift = await preChecks.DriftAsync(run.Target, cancellationToken);
        if (!drift.HasDrift) throw new ActionRefusedException($"Target '{run.Target}' has no blocking drift any more: run the pre-checks again.");
        var differences = drift.Blocking.Select(d => d.Describe()).ToList();
        var accepted = await repository.SaveAsync(run, run with { DriftAcceptance = new DriftAcceptance(actor.Name, Now, written, drift.Fingerprint, differences) },
            $"{actor.Name} accepted the drift of {run.Target}", cancellationToken);
        await RecordAsync(actor, AuditActions.DriftAccepted, accepted, $"accepted {Counted.Of(differences.Count, "blocking difference")} (fingerprint {drift.Fingerprint}): " +
            $"{string.Join("; ", differences)}; reason: {written}", cancellationToken);
        return await EvaluatePreChecksAsync(actor, accepted, cancellationToken);
    }

    /// <summary>
    /// An Admin releases, in writing, the draft migrations a Production run applies (the spec marks them Pending); the note is
    /// shown on the run and in the audit log, and bound to the approval like the other pre-checks.
    /// </summary>
    public async Task<MigrationRun> ReleaseDraftsAsync(Caller caller, string id, string note, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.ReleaseDrafts, id, revision, cancellationToken);
        var written = FreeText.Reason(note, "a release note");
        var drafts = preChecks.Drafts(run);
        var released = await repository.SaveAsync(run, run with { DraftRelease = new DraftRelease(actor.Name, Now, written, drafts) },
            $"{actor.Name} released the drafts {string.Join(", ", drafts)} for Production", cancellationToken);
        await RecordAsync(actor, AuditActions.DraftsReleased, released, $"released {Counted.Pick(drafts.Count, "draft", "drafts")} {string.Join(", ", drafts)} for Production: {written}", cancellationToken);
        return await EvaluatePreChecksAsync(actor, released, cancellationToken);
    }

    /// <summary>
    /// Creates the run that adopts a database built outside the portal at <paramref name="at"/>, with a written reason; a close
    /// match is adopted only when <paramref name="acceptDifferences"/> accepts its blocking differences (bound to them). Its job
    /// writes the version and a baselined changelog once it may start: at once outside Production, after approval on it.
    /// </summary>
    public async Task<MigrationRun> CreateAdoptionAsync(Caller caller, string targetName, SchemaVersion at, string reason, bool acceptDifferences,
        CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, $"adopt {targetName}", RunRules.CheckAdopt, cancellationToken, targetName);
        var target = targets.Get(targetName);
        var written = FreeText.Reason(reason, "an adoption");
        var comparison = await BaselineComparison.ReadAsync(registry, target, cancellationToken);
        if (BaselineWriter.Refusal(comparison, at, acceptDifferences) is { } refusal) throw new ActionRefusedException($"Not adopted: {refusal}");
        var match = comparison.For(at);
        var accepted = acceptDifferences ? match.Blocking.Select(d => d.Difference.DescribeAsDrift()).ToList() : [];
        var run = NewRun(actor, target, new MigrationPlan(at, at, []), RunKind.Baseline, rollbackOf: null) with
        {
            Checksums = registry.Migrations.Where(m => m.Version <= at).Select(m => new VersionChecksum(m.Version, m.Checksum)).ToList(),
            Adoption = new AdoptionRequest(at, written, match.Fingerprint, accepted),
        };
        await repository.InsertAsync(run, $"Adoption created by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.AdoptionCreated, run, $"adopt {run.Target} ({run.Tier}) at {at}: {written}" +
            (accepted.Count > 0 ? $"; differences accepted: {string.Join("; ", accepted)}" : ""), cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    /// <summary>
    /// "Prepare fix run" (or "Prepare undo run"): a run that applies (or undoes) the data fix <paramref name="fix"/> on the target at the
    /// version it is at, which the run never changes (From == To), bound to the fix's checksum; its pre-checks run at once. It then goes
    /// through backup, approval by a second person and its job (<see cref="Fixes.FixRunJob"/>) as any run.
    /// </summary>
    public async Task<MigrationRun> CreateFixAsync(Caller caller, string targetName, Fixes.RegisteredFix fix, bool undo, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, $"prepare {(undo ? "the undo of fix" : "a run of fix")} {fix.Id} on {targetName}", RunRules.CheckPrepareFix,
            cancellationToken, targetName);
        var target = targets.Get(targetName);
        var history = await target.ReadHistoryAsync(cancellationToken);
        var run = NewRun(actor, target, new MigrationPlan(history.Applied, history.Applied, []), undo ? RunKind.FixUndo : RunKind.Fix, rollbackOf: null) with
        {
            Fix = RunFix.Of(fix),
        };
        // The one thing a fix must never do: its run records no version change, whatever the planner is asked.
        if (run.From != run.To) throw new InvalidOperationException($"Fix run {run.Id} would take {run.Target} from {run.From} to {run.To}; a fix never changes the schema version.");
        await repository.InsertAsync(run, $"{run.Title()} prepared by {actor.Name}", cancellationToken);
        await RecordAsync(actor, AuditActions.FixRunCreated, run, $"{run.Title()} ({fix.ShortChecksum}) on {run.Target} ({run.Tier}) at {run.From}: {fix.Description}",
            cancellationToken);
        return await EvaluatePreChecksAsync(actor, run, cancellationToken);
    }

    /// <summary>
    /// "Schedule…": an approved run starts by itself at <paramref name="at"/> (UTC, in the future; see <see cref="RunRules.CheckScheduleTime"/>)
    /// as "Run" would then, on behalf of the person scheduling it. The schedule settles the maintenance-window item; on Production the
    /// target's name is typed now, not at the start. A double click or a second browser leaves one scheduled job.
    /// </summary>
    public Task<MigrationRun> ScheduleAsync(Caller caller, string id, DateTime at, string? typedTargetName, long revision, CancellationToken cancellationToken) =>
        PlaceScheduleAsync(caller, RunAction.Schedule, id, at, typedTargetName, revision, cancellationToken);

    /// <summary>"Reschedule…": the scheduled run starts at <paramref name="at"/> instead, by a new job (the old one is deleted), now on behalf of the person moving it.</summary>
    public Task<MigrationRun> RescheduleAsync(Caller caller, string id, DateTime at, string? typedTargetName, long revision, CancellationToken cancellationToken) =>
        PlaceScheduleAsync(caller, RunAction.Reschedule, id, at, typedTargetName, revision, cancellationToken);

    /// <summary>"Cancel schedule": the run no longer starts by itself (its job is deleted); it stays approved, and its maintenance-window item opens again.</summary>
    public async Task<MigrationRun> CancelScheduleAsync(Caller caller, string id, long revision, CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, RunAction.CancelSchedule, id, revision, cancellationToken);
        var schedule = run.Schedule!;
        var saved = await repository.SaveAsync(run, MaintenanceWindowItem.Unscheduled(run), $"{actor.Name} cancelled the start scheduled for {schedule.At:u}", cancellationToken);
        jobs.Unschedule(schedule.JobId);
        await RecordAsync(actor, AuditActions.ScheduleCancelled, saved,
            $"start scheduled for {schedule.At:u} by {schedule.By} cancelled (background job {schedule.JobId} deleted)", cancellationToken);
        return saved;
    }

    /// <summary>
    /// The scheduled start, at its time (see <see cref="ScheduledRunStartJob"/>): what "Run" does then, on behalf of whoever scheduled
    /// the run, read from the store now: the run must still be approved, its approval must hold (its facts and its Approver, read now),
    /// the pre-checks must pass; the run's own job then takes the target's lease.
    /// </summary>
    /// <param name="jobId">The scheduled job's id: a schedule cancelled or moved since is not this one's to start.</param>
    /// <returns>The queued run; null when the run's schedule is no longer this job (nothing to do).</returns>
    /// <exception cref="ActionRefusedException">The run may not start now, with why (a person's refusal is audited as such).</exception>
    public async Task<MigrationRun?> StartScheduledAsync(string id, string? jobId, CancellationToken cancellationToken)
    {
        var stored = await repository.LoadAsync(id, null, cancellationToken);
        if (stored.Schedule is not { } schedule || schedule.JobId != jobId) return null;
        if (stored.State != RunState.Approved)
        {
            throw new ActionRefusedException(stored.ApprovalVoided is { } voided
                ? $"Its approval was voided meanwhile ({voided}): run the pre-checks and have it approved again."
                : $"Run {id} is {stored.State}, no longer approved.");
        }
        var attempted = $"start run {id} as scheduled for {schedule.At:u}";
        var actor = await authorizer.ActorAsync(new UserCaller(schedule.By), attempted, cancellationToken);
        var due = stored with { Schedule = null };
        await authorizer.RequireAsync(actor, RunRules.Check(RunAction.Start, due, actor), attempted, cancellationToken, stored.Target, stored.Id);
        var queued = await QueueAsync(actor, stored, await preChecks.EvaluateAsync(due, cancellationToken, PreCheckScope.Quick), cancellationToken);
        await RecordAsync(actor, AuditActions.ScheduledStart, queued, $"started as scheduled for {schedule.At:u} by {schedule.By}", cancellationToken);
        return queued;
    }

    private async Task<MigrationRun> PlaceScheduleAsync(Caller caller, RunAction action, string id, DateTime at, string? typedTargetName, long revision,
        CancellationToken cancellationToken)
    {
        var (actor, run) = await AuthorizeAsync(caller, action, id, revision, cancellationToken);
        var attempted = $"{Describe(action)} run {id}";
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
        await RequireTargetNameAsync(actor, action, run, typedTargetName, cancellationToken);
        await authorizer.RequireAsync(actor, RunRules.CheckScheduleTime(utc, Now), attempted, cancellationToken, run.Target, run.Id);
        string jobId;
        try
        {
            jobId = jobs.Schedule(run, new DateTimeOffset(utc));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not schedule the start of run {RunId}", id);
            throw new ActionRefusedException($"Not scheduled: the background job could not be created ({e.Message}). Try again once the job system is back.");
        }
        var schedule = new RunSchedule(utc, actor.Name, Now, jobId);
        MigrationRun saved;
        try
        {
            saved = await repository.SaveAsync(run, MaintenanceWindowItem.Scheduled(run, schedule), $"{actor.Name} scheduled the run for {utc:u}", cancellationToken);
        }
        catch (ActionRefusedException)
        {
            // Someone changed the run at the same moment (a double click, a second browser): their schedule is the one that stays.
            jobs.Unschedule(jobId);
            throw;
        }
        if (run.Schedule is { } earlier) jobs.Unschedule(earlier.JobId);
        await RecordAsync(actor, action == RunAction.Schedule ? AuditActions.RunScheduled : AuditActions.RunRescheduled, saved,
            $"start at {utc:u} as background job {jobId}" + (run.Schedule is { } moved ? $"; was {moved.At:u} by {moved.By} (job {moved.JobId}, deleted)" : ""),
            cancellationToken);
        return saved;
    }

    /// <summary>On Production, the actions that start a change there need the target's name typed; a mistyped name is refused and audited.</summary>
    private Task RequireTargetNameAsync(Actor actor, RunAction action, MigrationRun run, string? typedTargetName, CancellationToken cancellationToken) =>
        authorizer.RequireAsync(actor, RunRules.CheckTargetName(action, run, typedTargetName), $"{Describe(action)} run {run.Id}", cancellationToken, run.Target, run.Id);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Starts a run whose pre-checks this action has just evaluated and saved (approve and run, emergency rollback).</summary>
    private async Task<MigrationRun> StartCheckedAsync(Actor actor, MigrationRun evaluated, CancellationToken cancellationToken)
    {
        await authorizer.RequireAsync(actor, RunRules.Check(RunAction.Start, evaluated, actor), $"{Describe(RunAction.Start)} run {evaluated.Id}", cancellationToken,
            evaluated.Target, evaluated.Id);
        return await QueueAsync(actor, evaluated, evaluated, cancellationToken);
    }

    /// <summary>Reads the caller now, loads the run at the page's revision, and asks <see cref="RunRules"/> (refusals are audited).</summary>
    /// <param name="revision">The revision the page showed; null for an action that does not depend on it (a comment).</param>
    private async Task<(Actor Actor, MigrationRun Run)> AuthorizeAsync(Caller caller, RunAction action, string id, long? revision, CancellationToken cancellationToken)
    {
        var attempted = $"{Describe(action)} run {id}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        await authorizer.RequireAsync(actor, RunRules.Check(action, run, actor), attempted, cancellationToken, run.Target, run.Id);
        return (actor, run);
    }

    private async Task<(Actor Actor, EmergencyRollbackPreview Preview)> EmergencyRollbackPlanAsync(Caller caller, string failedRunId, CancellationToken cancellationToken)
    {
        var attempted = $"start an emergency rollback of run {failedRunId}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        var failed = await repository.LoadAsync(failedRunId, null, cancellationToken);
        await authorizer.RequireAsync(actor, RunRules.Check(RunAction.EmergencyRollback, failed, actor), attempted, cancellationToken, failed.Target, failed.Id);
        var history = await targets.Get(failed.Target).ReadHistoryAsync(cancellationToken);
        var undo = planner.Plan(history.Applied, failed.From, history);
        await authorizer.RequireAsync(actor, RunRules.CheckEmergencyRollback(failed, actor, history, undo), attempted, cancellationToken, failed.Target, failed.Id);
        var backup = RunBackupRules.RestorableOf(failed, await backups.ListAsync(cancellationToken));
        return (actor, new EmergencyRollbackPreview(failed, undo, backup, RunRules.NeedsTargetName(RunAction.EmergencyRollback, failed)));
    }

    private static string Describe(RunAction action) => action switch
    {
        RunAction.BackUp => "back up for",
        RunAction.RunPreChecks => "run the pre-checks of",
        RunAction.RequestApproval => "request approval of",
        RunAction.Approve => "approve",
        RunAction.ApproveAndRun => "approve and run",
        RunAction.Start => "start",
        RunAction.Cancel => "cancel",
        RunAction.CreateRollback => "create a rollback of",
        RunAction.EmergencyRollback => "start an emergency rollback of",
        RunAction.OverrideStaging => "override the staging requirement of",
        RunAction.AcceptDrift => "accept the drift for",
        RunAction.ReleaseDrafts => "release the drafts of",
        RunAction.SendBack => "send back",
        RunAction.Comment => "comment on",
        RunAction.Schedule => "schedule",
        RunAction.Reschedule => "reschedule",
        RunAction.CancelSchedule => "cancel the schedule of",
        RunAction.Pause => "pause",
        RunAction.Resume => "resume",
        _ => action.ToString(),
    };

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
        await RecordAsync(actor, AuditActions.PreChecksRun, saved, failed == 0 ? "all automated pre-checks pass" : $"{Counted.Of(failed, "automated pre-check")} {Counted.Pick(failed, "does", "do")} not pass",
            cancellationToken);
        return saved;
    }

    /// <summary>What voids an approval at the start: its facts changed, or its Approver (read from the store now) may no longer give it.</summary>
    private async Task<IReadOnlyList<string>> WhyApprovalIsVoidAsync(Approval approval, MigrationRun run, CancellationToken cancellationToken) =>
    [
        .. ApprovalBinding.Changes(approval.BoundFacts, ApprovalBinding.FactsOf(run)),
        .. RunRules.ApproverProblems(run, await authorizer.CurrentAsync(approval.By, cancellationToken)),
    ];

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
        Id = MigrationRun.NewId(Now),
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

    private Task RecordAsync(Actor actor, string action, MigrationRun run, string details, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditRecord.By(actor, action, details, run.Target, run.Id), cancellationToken);
}
