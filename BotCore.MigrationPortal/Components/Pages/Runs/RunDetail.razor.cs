using BotCore.MigrationPortal.Components.Shared;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Guidance;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace BotCore.MigrationPortal.Components.Pages.Runs;

/// <summary>
/// The run page: a summary that leads (state in words, who acts next, what is left, the actions), then sections that fold, opened
/// by the run's state (<see cref="RunGuide"/>). It replays the run's recorded events and then follows new ones (written by whichever
/// portal instance runs the job), reloading the run when it changes.
/// </summary>
public partial class RunDetail
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);
    private readonly List<RunEvent> events = [];
    private MigrationRun? run;
    private MigrationPlan? plan;
    private RunProgress? progress;
    private IReadOnlySet<RunAction> actions = new HashSet<RunAction>();
    private RunGuidance? guidance;
    private RunState? openedFor;

    // Which sections are open: set from the guide when the run's state changes, then as the person folds them.
    private readonly Dictionary<RunSection, bool> open = Enum.GetValues<RunSection>().ToDictionary(s => s, _ => false);
    private string? problem;
    private bool busy;
    private DateTimeOffset lastRender;
    private CancellationTokenSource? following;

    [Parameter] public string Id { get; set; } = "";

    [Inject] private RunService Runs { get; set; } = default!;
    [Inject] private IRunEventStore Events { get; set; } = default!;
    [Inject] private MigrationPlanner Planner { get; set; } = default!;
    [Inject] private MigrationRegistry Registry { get; set; } = default!;
    [Inject] private TargetRegistry Targets { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    // The same component instance shows the next run when a rollback run is created from this page.
    protected override async Task OnParametersSetAsync()
    {
        if (run?.Id == Id) return;
        StopFollowing();
        (run, plan, progress, problem, guidance, openedFor) = (null, null, null, null, null, null);
        events.Clear();
        await ActorAsync();
        try
        {
            Show(await Runs.GetAsync(Id, Closed));
        }
        catch (MigrationEngineException e)
        {
            problem = e.Message;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Pages are not prerendered, so this is the live circuit; the run may load after the first render.
        if (following is not null || run is null) return;
        following = CancellationTokenSource.CreateLinkedTokenSource(Closed);
        _ = FollowAsync(run.Id, following.Token);
    }

    private async Task FollowAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            // A finished run's history is read once; only a run that may still change is followed live.
            var stream = run is { } shown && RunStateMachine.IsFinished(shown.State)
                ? (await Events.ReadAsync(runId, 0, cancellationToken)).ToAsyncEnumerable()
                : Events.FollowAsync(runId, 0, cancellationToken);
            await foreach (var stored in stream.WithCancellation(cancellationToken))
            {
                var reload = stored.Event.Kind == RunEventKind.StateChanged ? await Runs.GetAsync(runId, cancellationToken) : null;
                await InvokeAsync(() =>
                {
                    if (run?.Id != runId) return;
                    events.Add(stored.Event);
                    if (reload is not null) Show(reload);
                    progress = plan is null ? null : RunProgress.Build(plan, events);
                    if (stored.Event.Kind != RunEventKind.BatchProgress || stored.Event.At - lastRender > RenderInterval)
                    {
                        lastRender = stored.Event.At;
                        StateHasChanged();
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await InvokeAsync(() => Snackbar.Add($"Live progress stopped ({e.Message}); reload the page to follow the run again.", Severity.Warning));
        }
    }

    private void StopFollowing()
    {
        following?.Cancel();
        following?.Dispose();
        following = null;
    }

    public override void Dispose()
    {
        StopFollowing();
        base.Dispose();
    }

    /// <summary>After an action: the person is read again, so that the buttons follow a role changed meanwhile.</summary>
    private async Task ShowAfterAsync(MigrationRun latest)
    {
        try
        {
            await ActorAsync();
        }
        finally
        {
            Show(latest);
        }
    }

    private void Show(MigrationRun latest)
    {
        run = latest;
        plan ??= PlanOf(latest);
        progress = plan is null ? null : RunProgress.Build(plan, events);
        actions = Actor is { } actor ? RunRules.Allowed(latest, actor) : new HashSet<RunAction>();
        guidance = RunGuide.For(latest);
        if (openedFor == latest.State) return;
        openedFor = latest.State;
        foreach (var section in open.Keys) open[section] = guidance.Open.Contains(section);
    }

    /// <summary>A to-do item: opens its section, then brings its row into view with the keyboard focus on it.</summary>
    private async Task GoAsync(ToDoItem item)
    {
        if (item.Section is { } section) open[section] = true;
        StateHasChanged();
        try
        {
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/run-page.js");
            await module.InvokeVoidAsync("reveal", item.Anchor);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or TaskCanceledException)
        {
            // The section is open; without the browser's help the person scrolls to it.
        }
    }

    private string ChecklistHint()
    {
        var required = run!.Checklist.Where(i => ChecklistTemplate.Get(i.ItemId).Required).ToList();
        return $"{required.Count(i => i.IsSatisfied)} of {Text.Counted.Of(required.Count, "required item")} settled";
    }

    private string ProgressHint() => progress is null ? "no plan" : run!.StartedAt is null
        ? $"{Text.Counted.Of(progress.Steps.Count, "step")}, not started"
        : $"step {progress.Pace(run.StartedAt, run.FinishedAt, Time.GetUtcNow().UtcDateTime).Number} of {progress.Steps.Count}";

    /// <summary>"Step 8 of 19: 1.1.0 up step 2, create index … · about 4 s left", while a step runs.</summary>
    private string? CurrentStep()
    {
        if (progress?.Current is not { } current) return null;
        var pace = progress.Pace(run!.StartedAt, run.FinishedAt, Time.GetUtcNow().UtcDateTime);
        return $"step {pace.Number} of {pace.Total}: {current.Version} {current.Direction} step {current.Number}, {current.Description}" +
            (pace.Eta is { } eta ? $" · about {RunProgressView.Duration(eta)} left" : "");
    }

    private string ValidationHint()
    {
        var failed = run!.Validation.Count(v => !v.Passed);
        return $"{Text.Counted.Of(run.Validation.Count, "collection")}, " + (failed == 0 ? "all passed" : $"{failed} failed");
    }

    private Task RunPreChecksAsync() => DoAsync(a => Runs.RunPreChecksAsync(a, run!.Id, run.Revision, Closed), "Pre-checks run: each check is listed under Pre-checks");

    // The backup job writes to the run's log: the Progress section opens to show it.
    private Task BackUpAsync(RunStartActions.Act act)
    {
        open[RunSection.Progress] = true;
        return DoAsync(act.Action, act.Done);
    }

    private MigrationPlan? PlanOf(MigrationRun latest)
    {
        try
        {
            return Planner.Plan(latest.From, latest.To);
        }
        catch (MigrationEngineException)
        {
            return null;
        }
    }

    private async Task DoAsync(Func<Caller, Task<MigrationRun>> action, string done)
    {
        busy = true;
        try
        {
            if (!await TryAsync(async () => await ShowAfterAsync(await action(await CallerAsync())), done))
            {
                // A refusal may come from a stale page or a changed role: show the run and the buttons as they are now.
                await TryAsync(async () => await ShowAfterAsync(await Runs.GetAsync(Id, Closed)));
            }
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>Each person who prepared the run and what they did: none of them may approve it (four eyes).</summary>
    private string PreparedBy() => string.Join("; ", RunRules.Preparations(run!)
        .GroupBy(p => p.Person, StringComparer.OrdinalIgnoreCase)
        .Select(person => $"{person.Key} ({string.Join(", ", person.Select(p => p.What))})"));

    /// <summary>
    /// What a failed validation does to this run: as recorded when it started, or before that as its target's setting says now; nothing
    /// for a run that started without a record of it (an earlier build), ended without starting, or whose target is no longer configured.
    /// </summary>
    private string? OnFailedValidation()
    {
        if (run!.RollBackOnFailedValidation is { } recorded) return OnFailedValidation(recorded, "as recorded when the run started");
        if (run.StartedAt is not null || RunStateMachine.IsFinished(run.State)) return null;
        var target = Targets.All.FirstOrDefault(t => string.Equals(t.Name, run.Target, StringComparison.OrdinalIgnoreCase));
        return target is null ? null : OnFailedValidation(target.RollBackOnFailedValidation, "the target's setting now; recorded when the run starts");
    }

    private static string OnFailedValidation(bool rollBack, string when) => rollBack
        ? $"rolled back at once, as after a failing step ({when})"
        : $"ends Failed with its changes left in place: rolling back on a failed validation is off for this target ({when})";

    /// <summary>Who may approve, and, to an Approver who may not, why not.</summary>
    private string WhoMayApprove()
    {
        var who = $"{RunGuide.WhoMayApprove(run!)}.";
        return Actor is { } actor && actor.Has(Role.Approver) && RunRules.Check(RunAction.Approve, run!, actor) is { Allowed: false } verdict
            ? $"{who} You may not: {verdict.Refusal}"
            : who;
    }

    private async Task TickAsync(ChecklistItemState item)
    {
        var definition = ChecklistTemplate.Get(item.ItemId);
        var comment = await Dialogs.AskAsync($"Tick: {definition.Text}", $"You tick this item as {Actor?.Name}; your name and the time are recorded.",
            "Comment", definition.CommentRequired ? FreeText.MinimumReasonLength : 0, "Tick");
        if (comment is null) return;
        await DoAsync(a => Runs.TickAsync(a, run!.Id, item.ItemId, comment, run.Revision, Closed), "Ticked");
    }

    private async Task CancelAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Cancel this run?",
            run!.State is RunState.Queued or RunState.Running
                ? "The run stops at the next safe point and rolls back everything it changed."
                : "The run is closed; nothing has been changed on the target.",
            yesText: "Cancel the run", cancelText: "Keep it");
        if (confirmed == true) await DoAsync(a => Runs.CancelAsync(a, run.Id, run.Revision, Closed), "Cancelled");
    }

    private Task OverrideStagingAsync() => WriteThenAsync(new("Override the staging requirement",
            "This Production run has no succeeded staging run of the same checksums. Write why it may run anyway; it is recorded in the audit log.",
            "Reason", "Override", Color.Error),
        (a, reason) => Runs.OverrideStagingAsync(a, run!.Id, reason, run.Revision, Closed), "Requirement overridden");

    private Task AcceptDriftAsync() => WriteThenAsync(new("Accept the target's drift",
            "The target differs from the expected catalog in ways the migrations own (see \"Live catalog matches the expected catalog\"). Write why this run " +
            "may go ahead anyway. The acceptance holds for exactly these differences and is recorded in the audit log.",
            "Reason", "Accept drift", Color.Error),
        (a, reason) => Runs.AcceptDriftAsync(a, run!.Id, reason, run.Revision, Closed), "Drift accepted");

    private Task ReleaseDraftsAsync() => WriteThenAsync(new("Release the draft migrations for Production",
            "This Production run applies a draft migration (the spec marks it Pending, its script a draft). Write the release note: why it may run on " +
            "Production now. It is shown on the run and recorded in the audit log.",
            "Release note", "Release", Color.Warning),
        (a, note) => Runs.ReleaseDraftsAsync(a, run!.Id, note, run.Revision, Closed), "Drafts released");

    private Task SendBackAsync() => WriteThenAsync(new("Send the run back",
            $"The run returns to pre-checks and to {run!.ApprovalRequest()?.By}, who asked for approval, to be changed and sent for approval again. " +
            "Write what should change: it is shown on the run and in their \"Waiting for me\" list, and recorded in the audit log.",
            "Reason", "Send back", Color.Warning),
        (a, reason) => Runs.SendBackAsync(a, run!.Id, reason, run.Revision, Closed), "Sent back");

    /// <summary>A decision in writing (an Admin's, an Approver's send back): asks for the text, then acts with it (nothing happens when the dialog is closed).</summary>
    private async Task WriteThenAsync(WrittenDecision decision, Func<Caller, string, Task<MigrationRun>> act, string success)
    {
        var text = await Dialogs.AskAsync(decision.Title, decision.Prompt, decision.Label, FreeText.MinimumReasonLength, decision.Confirm, decision.Color);
        if (text is not null) await DoAsync(a => act(a, text), success);
    }

    private sealed record WrittenDecision(string Title, string Prompt, string Label, string Confirm, Color Color);

    /// <summary>Shows what the rollback would undo (or why it is not offered), then starts it with what the person wrote.</summary>
    private async Task EmergencyRollbackAsync()
    {
        EmergencyRollbackPreview? preview = null;
        if (!await TryAsync(async () => preview = await Runs.PreviewEmergencyRollbackAsync(await CallerAsync(), run!.Id, Closed))) return;
        var dialog = await Dialogs.ShowAsync<EmergencyRollbackDialog>($"Emergency rollback of {run!.Id}",
            new DialogParameters<EmergencyRollbackDialog> { { d => d.Preview, preview! } }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: EmergencyRollbackRequest request })
        {
            await NavigateToNewRunAsync(caller => Runs.EmergencyRollbackAsync(caller, run.Id, request, Closed));
        }
    }

    private async Task NavigateToNewRunAsync(Func<Caller, Task<MigrationRun>> create)
    {
        busy = true;
        MigrationRun? created = null;
        if (await TryAsync(async () => created = await create(await CallerAsync()))) Navigation.NavigateTo($"runs/{created!.Id}");
        busy = false;
    }
}
