using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Runs;

public enum RunAction
{
    BackUp,
    RunPreChecks,
    RequestApproval,
    Approve,
    ApproveAndRun,
    Start,
    Cancel,
    CreateRollback,
    EmergencyRollback,
    OverrideStaging,
    AcceptDrift,
    ReleaseDrafts,
    SendBack,
    Comment,
    Schedule,
    Reschedule,
    CancelSchedule,
    AttachBackup,
    RestoreFromBackup,
    Pause,
    Resume,
}

/// <summary>Something a person did to get a run ready, for the four-eyes rule and for the page ("prepared by").</summary>
public sealed record Preparation(string Person, string What);

/// <summary>
/// The one place that says who may do what to a run now, and why not: the run page asks it to show buttons, the run
/// service asks it again at the moment of the act (with the person read from the store then), and so would any other
/// door to a run. State rules come from <see cref="RunStateMachine"/>.
/// </summary>
public static class RunRules
{
    private static readonly RunState[] Preparable = [RunState.Draft, RunState.PreChecks, RunState.AwaitingApproval, RunState.Approved, RunState.NotStarted];

    public static Verdict Check(RunAction action, MigrationRun run, Actor actor) => action switch
    {
        RunAction.BackUp => GivesItsBackup(run, actor, "back up targets", "take its backup"),
        // Attaching a backup taken elsewhere is taking the run's backup by other means: the same people, at the same time.
        RunAction.AttachBackup => GivesItsBackup(run, actor, "attach backups to runs", "attach its backup"),
        RunAction.RestoreFromBackup => RunBackupRules.CheckRestore(run, actor),
        RunAction.RunPreChecks => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "run pre-checks"),
            () => InState(run, Preparable, "pre-checks are run before it starts")),
        RunAction.RequestApproval => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "request approval"),
            () => RunStateMachine.NeedsApproval(run)
                ? Verdict.Yes
                : Verdict.No(run.Kind == RunKind.EmergencyRollback
                    ? "An emergency rollback runs without approval."
                    : $"Adopting a {run.Tier} database runs without approval (on Production it needs one): run it."),
            () => Move(run, RunState.AwaitingApproval)),
        RunAction.Approve or RunAction.ApproveAndRun => Verdict.All(
            () => Verdict.Role(actor, Role.Approver, "approve runs"),
            () => InPerson(run, actor),
            () => Move(run, RunState.Approved),
            () => FourEyes(run, actor, "approve it"),
            () => action == RunAction.ApproveAndRun ? NotScheduled(run) : Verdict.Yes),
        // Whoever may approve the run may instead return it to the person who asked, who can change it and ask again.
        RunAction.SendBack => Verdict.All(
            () => Verdict.Role(actor, Role.Approver, "send runs back"),
            () => InState(run, [RunState.AwaitingApproval], "only a run awaiting approval is sent back to the person who asked"),
            () => Move(run, RunState.PreChecks),
            () => FourEyes(run, actor, "send it back")),
        // A comment changes nothing on the run, so it is open in every state; a Viewer only reads.
        RunAction.Comment => Verdict.Role(actor, Role.Operator, "comment on runs"),
        RunAction.Start => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "start runs"),
            () => run.State == RunState.Queued ? Verdict.No($"Run {run.Id} is queued already: its job starts it.") : Move(run, RunState.Queued),
            () => NotScheduled(run)),
        RunAction.Schedule => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "schedule runs"),
            () => Schedulable(run),
            () => run.Schedule is { } schedule
                ? Verdict.No($"Run {run.Id} is already scheduled for {schedule.At:u} by {schedule.By}: reschedule it to move it.")
                : Verdict.Yes),
        RunAction.Reschedule => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "schedule runs"),
            () => run.Schedule is null ? Verdict.No($"Run {run.Id} is not scheduled: schedule it.") : Verdict.Yes,
            () => Schedulable(run)),
        RunAction.CancelSchedule => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "cancel schedules"),
            () => run.Schedule is null ? Verdict.No($"Run {run.Id} is not scheduled: there is no schedule to cancel.") : Verdict.Yes),
        RunAction.Cancel => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "cancel runs"),
            () => Cancellable(run)),
        // Whoever may stop a running run may hold its data step at a batch boundary, and let it go on.
        RunAction.Pause => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "pause runs"),
            () => Pausable(run)),
        RunAction.Resume => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "resume runs"),
            () => run.Pause is null ? Verdict.No($"Run {run.Id} is not paused: there is nothing to resume.") : Verdict.Yes,
            () => run.State == RunState.Running
                ? Verdict.Yes
                : Verdict.No($"Run {run.Id} is {run.State.InSentence()}: only a running run's data step is resumed.")),
        RunAction.CreateRollback => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "create rollback runs"),
            () => run.State == RunState.Succeeded && run.Kind == RunKind.Migration
                ? Verdict.Yes
                : Verdict.No($"Run {run.Id} is {run.State.InSentence()} ({run.Kind.DisplayName()}): only a succeeded migration run is rolled back this way (a rollback is undone by migrating up again).")),
        RunAction.EmergencyRollback => Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "start emergency rollbacks"),
            () => run.Kind == RunKind.Baseline
                ? Verdict.No($"Run {run.Id} adopts a database: it changes no collection, so there is nothing to roll back (create a new adoption run).")
                : Verdict.Yes,
            () => run.Fix is { } fix
                ? Verdict.No($"Run {run.Id} is a data fix: the documents it changed keep their previous values in fix_undo; prepare the undo of {fix.Id} instead.")
                : Verdict.Yes,
            () => run.State is RunState.Failed or RunState.RollbackFailed
                ? Verdict.Yes
                : Verdict.No($"Run {run.Id} is {run.State.InSentence()}: an emergency rollback is for a failed run whose changes are still in place.")),
        RunAction.OverrideStaging => Verdict.All(
            () => Verdict.Role(actor, Role.Admin, "override the staging requirement"),
            () => run.Tier == TargetTier.Production ? Verdict.Yes : Verdict.No($"Run {run.Id} is on a {run.Tier} target: only Production runs need a staging run."),
            () => InState(run, [RunState.Draft, RunState.PreChecks, RunState.AwaitingApproval], "the staging requirement is waived before approval"),
            () => run.StagingOverride is { } done
                ? Verdict.No($"{done.By} already overrode the staging requirement at {done.At:u} (\"{done.Reason}\"); an override is not replaced.")
                : Verdict.Yes,
            () => run.Item(ChecklistTemplate.StagingTest)?.Status == ItemStatus.Failed
                ? Verdict.Yes
                : Verdict.No("The staging requirement is met (or not required): there is nothing to override.")),
        RunAction.AcceptDrift => Verdict.All(
            () => Verdict.Role(actor, Role.Admin, "accept drift"),
            () => InState(run, [RunState.Draft, RunState.PreChecks, RunState.AwaitingApproval], "drift is accepted before approval"),
            () => run.Item(ChecklistTemplate.NoDrift)?.Status == ItemStatus.Failed
                ? Verdict.Yes
                : Verdict.No("The target has no blocking drift that is not accepted: there is nothing to accept.")),
        RunAction.ReleaseDrafts => Verdict.All(
            () => Verdict.Role(actor, Role.Admin, "release draft migrations for Production"),
            () => InState(run, [RunState.Draft, RunState.PreChecks, RunState.AwaitingApproval], "drafts are released before approval"),
            () => run.DraftRelease is { } done
                ? Verdict.No($"{done.By} already released the drafts of this run at {done.At:u} (\"{done.Note}\"); a release note is not replaced.")
                : Verdict.Yes,
            () => run.Item(ChecklistTemplate.DraftsReleased)?.Status == ItemStatus.Failed
                ? Verdict.Yes
                : Verdict.No("This run applies no draft migration on Production: there is nothing to release.")),
        _ => Verdict.No($"Unknown action {action}."),
    };

    /// <summary>
    /// May <paramref name="actor"/> create the run that adopts a database built outside the portal: an Admin, since it decides
    /// what the portal believes the database to be (a second person approves it on Production).
    /// </summary>
    public static Verdict CheckAdopt(Actor actor) => Verdict.Role(actor, Role.Admin, "adopt databases");

    /// <summary>
    /// May <paramref name="actor"/> prepare a run that applies or undoes a data fix ("Prepare fix run", <c>fix run</c>): an Operator, as for
    /// any run; a second person approves it before it changes anything.
    /// </summary>
    public static Verdict CheckPrepareFix(Actor actor) => Verdict.Role(actor, Role.Operator, "prepare fix runs");

    /// <summary>How far ahead a run may be scheduled: a maintenance window, not next quarter, when its approval would have been given on stale facts.</summary>
    public static readonly TimeSpan LongestScheduleAhead = TimeSpan.FromDays(30);

    /// <summary>Whether a run may be scheduled to start at <paramref name="at"/>, asked at <paramref name="now"/> (both UTC): in the future, within <see cref="LongestScheduleAhead"/>.</summary>
    public static Verdict CheckScheduleTime(DateTime at, DateTime now) =>
        at <= now ? Verdict.No($"Not scheduled: {at:yyyy-MM-dd HH:mm} UTC has passed (it is {now:yyyy-MM-dd HH:mm} UTC now); pick a time in the future.")
        : at > now + LongestScheduleAhead ? Verdict.No($"Not scheduled: {at:yyyy-MM-dd HH:mm} UTC is more than {LongestScheduleAhead.TotalDays:0} days ahead; the pre-checks and the approval would be stale by then. Pick an earlier time.")
        : Verdict.Yes;

    /// <summary>Whether <paramref name="action"/> starts a change on a Production target, so that the person types the target's name to confirm it.</summary>
    public static bool NeedsTargetName(RunAction action, MigrationRun run) =>
        action is RunAction.ApproveAndRun or RunAction.Start or RunAction.Schedule or RunAction.Reschedule or RunAction.EmergencyRollback
        && TargetNameConfirmation.RequiredFor(run.Tier);

    /// <summary>On Production, whether <paramref name="typed"/> is the target's name, for the actions that start a change there (see <see cref="NeedsTargetName"/>).</summary>
    public static Verdict CheckTargetName(RunAction action, MigrationRun run, string? typed) => NeedsTargetName(action, run)
        ? TargetNameConfirmation.Check(run.Target, typed, action is RunAction.Schedule or RunAction.Reschedule ? "Not scheduled" : "Not started", action switch
        {
            RunAction.ApproveAndRun => $"that run {run.Id} is approved and starts on Production",
            RunAction.Schedule or RunAction.Reschedule => $"that run {run.Id} is scheduled to start on Production",
            RunAction.EmergencyRollback => "an emergency rollback on Production",
            _ => $"that run {run.Id} starts on Production",
        })
        : Verdict.Yes;

    /// <summary>The actions <paramref name="actor"/> may take on <paramref name="run"/> now: the buttons a page shows.</summary>
    public static IReadOnlySet<RunAction> Allowed(MigrationRun run, Actor actor) =>
        Enum.GetValues<RunAction>().Where(action => Check(action, run, actor).Allowed).ToHashSet();

    /// <summary>May <paramref name="actor"/> tick the manual checklist item <paramref name="itemId"/> now.</summary>
    public static Verdict CheckTick(MigrationRun run, string itemId, Actor actor)
    {
        var state = run.Item(itemId);
        var item = state is null ? null : ChecklistTemplate.Get(itemId);
        return Verdict.All(
            () => Verdict.Role(actor, Role.Operator, "tick checklist items"),
            () => item is null ? Verdict.No($"Run {run.Id} has no checklist item '{itemId}'.") : Verdict.Yes,
            () => item!.Kind == ItemKind.Manual ? Verdict.Yes : Verdict.No($"'{item.Text}' is proved by the portal; nobody ticks it by hand."),
            () => state!.Status == ItemStatus.Ticked ? Verdict.No($"'{item!.Text}' was already ticked by {state.By} at {state.At:u}.") : Verdict.Yes,
            () => state!.Status == ItemStatus.Passed ? Verdict.No($"'{item!.Text}' is settled by the portal: {state.Evidence}") : Verdict.Yes,
            () => run.State == RunState.Cancelled ? Verdict.No($"Run {run.Id} was cancelled; its checklist is closed.") : Verdict.Yes,
            () => item!.Phase switch
            {
                ItemPhase.AfterRun when run.State != RunState.Succeeded => Verdict.No($"'{item.Text}' is ticked after the run has succeeded; run {run.Id} is {run.State.InSentence()}."),
                ItemPhase.BeforeApproval => Verdict.All(
                    () => InState(run, Preparable, $"'{item.Text}' is ticked before it starts"),
                    () => NotItsApprover(run, actor, $"tick '{item.Text}'")),
                _ => Verdict.Yes,
            });
    }

    /// <summary>
    /// May <paramref name="actor"/> start an emergency rollback of <paramref name="failed"/>, given the target's history now and
    /// <paramref name="undo"/>, the plan from the target's version back to where the run started: only when the run left
    /// migrations applied and each of them was last changed by that run, so that the rollback undoes exactly what that
    /// run did and never another run's work.
    /// </summary>
    public static Verdict CheckEmergencyRollback(MigrationRun failed, Actor actor, TargetHistory history, MigrationPlan undo) => Verdict.All(
        () => Check(RunAction.EmergencyRollback, failed, actor),
        () => undo.IsEmpty || undo.Direction == failed.Direction
            ? Verdict.No($"Target '{failed.Target}' is at {history.Applied}, where run {failed.Id} started: no migration of that run is left to undo. " +
                "If the target is not as it should be, compare it (drift) and restore the run's backup.")
            : Verdict.Yes,
        () => ChangedByOthers(failed, history, undo) is { Count: > 0 } others
            ? Verdict.No($"Target '{failed.Target}' was changed by another run after run {failed.Id}: {string.Join("; ", others)}. An emergency rollback undoes only " +
                "what the failed run did; create a rollback run of the target's applied version instead.")
            : Verdict.Yes);

    /// <summary>Who prepared the run and how: none of them may approve it.</summary>
    public static IReadOnlyList<Preparation> Preparations(MigrationRun run)
    {
        var done = new List<Preparation> { new(run.RequestedBy, "created the run") };
        done.AddRange(run.Transitions.Where(t => t.To == RunState.AwaitingApproval).Select(t => new Preparation(t.By, "requested approval")));
        foreach (var item in run.Checklist.Where(i => i.By is not null && i.Status is ItemStatus.Ticked))
        {
            done.Add(new Preparation(item.By!, $"ticked '{ChecklistTemplate.Get(item.ItemId).Text}'"));
        }
        // The backup item names who took the backup it found (see PreCheckEvaluator).
        if (run.Item(ChecklistTemplate.Backup) is { Status: ItemStatus.Passed, By: { } backedUpBy } && backedUpBy != PreCheckEvaluator.Portal)
        {
            done.Add(new Preparation(backedUpBy, "took its backup"));
        }
        if (run.AttachedBackup is { } attached) done.Add(new Preparation(attached.By, "attached its backup"));
        if (run.StagingOverride is { } waived) done.Add(new Preparation(waived.By, "overrode the staging requirement"));
        if (run.DriftAcceptance is { } accepted) done.Add(new Preparation(accepted.By, "accepted the target's drift"));
        if (run.DraftRelease is { } released) done.Add(new Preparation(released.By, "released its draft migrations"));
        return done.DistinctBy(p => (p.Person.ToLowerInvariant(), p.What)).ToList();
    }

    /// <summary>
    /// Why the run's approval no longer holds although its facts are unchanged: its Approver, as the store knows them at the
    /// start, is no longer an enabled Approver, or prepared the run (four eyes hold after the approval too).
    /// </summary>
    /// <param name="approver">The Approver read from the store now; null when they no longer exist or are disabled.</param>
    public static IReadOnlyList<string> ApproverProblems(MigrationRun run, Actor? approver)
    {
        if (run.Approval is not { } approval) return [];
        var problems = new List<string>();
        if (approver is null) problems.Add($"{approval.By} is no longer an enabled user");
        else if (!approver.Has(Role.Approver)) problems.Add($"{approval.By} is no longer an Approver (now {approver.Role})");
        problems.AddRange(Preparations(run).Where(p => IsApprover(run, p.Person)).Select(p => $"{approval.By}, who approved it, {p.What}"));
        return problems;
    }

    /// <summary>
    /// An approval is a person's own act, given in the browser after reading the run (four eyes): never through an API token,
    /// whatever the token's role, so that no pipeline holding a token can approve what it asked for.
    /// </summary>
    private static Verdict InPerson(MigrationRun run, Actor actor) => actor.ViaToken
        ? Verdict.No($"{actor.Name} may not approve run {run.Id} with the API token '{actor.Token}': approval stays a person's act, on the run's page in the portal (four eyes).")
        : Verdict.Yes;

    /// <summary>Who may give a run its backup (take one, or attach one taken elsewhere), and when: an Operator who did not approve it, before it starts.</summary>
    /// <param name="roleWhat">What the role is needed for, in the refusal ("back up targets").</param>
    /// <param name="what">The act, in the four-eyes refusal ("take its backup").</param>
    private static Verdict GivesItsBackup(MigrationRun run, Actor actor, string roleWhat, string what) => Verdict.All(
        () => Verdict.Role(actor, Role.Operator, roleWhat),
        () => run.Kind == RunKind.Baseline ? Verdict.No("Adopting a database touches no data and no index: it needs no backup.") : Verdict.Yes,
        () => InState(run, Preparable, "its backup is taken before it starts"),
        () => NotItsApprover(run, actor, what));

    /// <summary>Whoever approved the run may not then prepare it: they would approve their own work.</summary>
    private static Verdict NotItsApprover(MigrationRun run, Actor actor, string what) =>
        IsApprover(run, actor.Name)
            ? Verdict.No($"Four eyes: {actor.Name} approved run {run.Id}, so may not {what}; someone who did not approve it must.")
            : Verdict.Yes;

    private static bool IsApprover(MigrationRun run, string person) => string.Equals(run.Approval?.By, person, StringComparison.OrdinalIgnoreCase);

    /// <param name="what">What only an Approver who did not prepare the run may do ("approve it").</param>
    private static Verdict FourEyes(MigrationRun run, Actor actor, string what)
    {
        var own = Preparations(run).Where(p => string.Equals(p.Person, actor.Name, StringComparison.OrdinalIgnoreCase)).Select(p => p.What).ToList();
        return own.Count == 0
            ? Verdict.Yes
            : Verdict.No($"Four eyes: {actor.Name} {string.Join(", ", own)} on run {run.Id}, so an Approver who did not prepare it must {what}.");
    }

    // The last word on each version the rollback would undo must be the failed run's own.
    private static IReadOnlyList<string> ChangedByOthers(MigrationRun failed, TargetHistory history, MigrationPlan undo) =>
        undo.Migrations
            .Select(m => history.EntriesFor(m.Version).LastOrDefault())
            .Where(e => e is null || e.RunId != failed.Id)
            .Select(e => e is null ? "a version with no changelog entry" : $"{e.Version} {e.Direction} {e.Status} by {e.AppliedBy} (run {e.RunId}) at {e.FinishedAt:u}")
            .ToList();

    // A scheduled run starts at its time; starting it now as well would race the schedule.
    private static Verdict NotScheduled(MigrationRun run) => run.Schedule is { } schedule
        ? Verdict.No($"Run {run.Id} is scheduled to start at {schedule.At:u} (by {schedule.By}): cancel the schedule to run it now.")
        : Verdict.Yes;

    private static Verdict Schedulable(MigrationRun run) => run is { State: RunState.Approved, Approval: not null }
        ? Verdict.Yes
        : Verdict.No($"Run {run.Id} is {run.State.InSentence()}: only an approved run is scheduled (its approval is checked again when it starts).");

    private static Verdict InState(MigrationRun run, RunState[] states, string rule) =>
        states.Contains(run.State) ? Verdict.Yes : Verdict.No($"Run {run.Id} is {run.State.InSentence()}: {rule}.");

    private static Verdict Move(MigrationRun run, RunState to) => RunStateMachine.CanMove(run, to) ? Verdict.Yes : Verdict.No(RunStateMachine.Explain(run, to));

    /// <summary>A pause holds a running run's data step at its next batch boundary; a cancel asked before it wins (the run is stopping).</summary>
    private static Verdict Pausable(MigrationRun run) => run switch
    {
        { State: not RunState.Running } => Verdict.No($"Run {run.Id} is {run.State.InSentence()}: only a running run's data step is paused (at a batch boundary)."),
        { CancelRequestedBy: { } who } => Verdict.No($"{who} has already asked to cancel run {run.Id}; it stops at the next safe point, so there is nothing to pause."),
        { Pause: { } pause } => Verdict.No($"Run {run.Id} is paused already: {pause.Describe()}"),
        _ => Verdict.Yes,
    };

    private static Verdict Cancellable(MigrationRun run) => run.State switch
    {
        RunState.Validating or RunState.RollingBack =>
            Verdict.No($"Run {run.Id} is {run.State.InSentence()}: the migration itself is over, so there is nothing left to cancel; it ends in a moment."),
        RunState.Running when run.CancelRequestedBy is { } who => Verdict.No($"{who} has already asked to cancel run {run.Id}; it stops at the next safe point."),
        RunState.Running => Verdict.Yes,
        _ => Move(run, RunState.Cancelled),
    };
}
