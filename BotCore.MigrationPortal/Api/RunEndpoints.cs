using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using System.Security.Claims;

namespace BotCore.MigrationPortal.Api;

/// <summary>
/// Runs through the API: each action is the run service's own, with the caller read from the store at the act and asked
/// <see cref="RunRules"/> as the run page's buttons are (a token never approves: see there).
/// </summary>
public static class RunEndpoints
{
    public const int LongestWaitSeconds = 30;

    public static RouteGroupBuilder MapRunApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapGet("/", ListAsync).WithName("ListRuns").WithSummary("Lists runs, newest first, filtered by target and state.");
        runs.MapPost("/", CreateAsync).WithName("CreateRun").Produces<ApiRun>(StatusCodes.Status201Created)
            .WithSummary("Creates a run that takes a target from its applied version to 'to', and runs its pre-checks.");
        runs.MapGet("/{id}", GetAsync).WithName("GetRun").WithSummary("One run: state, revision, checklist and what it still lacks for approval.");
        runs.MapGet("/{id}/events", EventsAsync).WithName("GetRunEvents")
            .WithSummary($"The run's events after sequence 'after'; with 'wait' (up to {LongestWaitSeconds} s) waits for the next one when there is none yet.");
        runs.MapPost("/{id}/checklist/{itemId}", TickAsync).WithName("TickChecklistItem").WithSummary("Ticks a manual checklist item, with an optional comment.");
        runs.MapPost("/{id}/backup", BackUpAsync).WithName("BackUpForRun").WithSummary("Queues the run's backup (taken and verified by a background job).");
        runs.MapPost("/{id}/pre-checks", PreChecksAsync).WithName("RunPreChecks").WithSummary("Runs the pre-checks of the run again.");
        runs.MapPost("/{id}/request-approval", RequestApprovalAsync).WithName("RequestApproval")
            .WithSummary("Asks for approval; an Approver who did not prepare the run approves it on its page in the portal (never through the API).");
        runs.MapPost("/{id}/start", StartAsync).WithName("StartRun")
            .WithSummary("Starts an approved run (queues its job); on Production with the target's name in 'targetName'.");
        runs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelRun").WithSummary("Cancels a run that has not started, or asks a running one to stop and roll back.");
        runs.MapPost("/{id}/pause", PauseAsync).WithName("PauseRun")
            .WithSummary("Pauses a running run's data step at its next batch boundary (its checkpoint kept; the run stays Running; 'pause' says where it stopped).");
        runs.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeRun").WithSummary("Resumes a paused run: its data step continues with the next batch.");
        return api;
    }

    private static async Task<ApiRunPage> ListAsync(IRunStore store, string? target, RunState? state, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var size = pageSize ?? 25;
        if (size is < 1 or > 100) throw new ApiFieldException("pageSize", $"'pageSize' is between 1 and 100, not {size}.");
        if (page < 0) throw new ApiFieldException("page", $"'page' counts from 0, not {page}.");
        var found = await store.QueryAsync(new RunQuery(target, state, page ?? 0, size), cancellationToken);
        return new ApiRunPage(found.Runs.Select(ApiRunSummary.Of).ToList(), found.Total, page ?? 0, size);
    }

    private static async Task<IResult> CreateAsync(CreateRunRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var target = ApiProblems.Required(request.Target, "target");
        var to = ApiProblems.Version(request.To, "to");
        var run = await service.CreateAsync(ApiCaller.Of(user), target, to, cancellationToken);
        return TypedResults.Created($"/api/v1/runs/{run.Id}", ApiRun.Of(run));
    }

    private static async Task<ApiRun> GetAsync(string id, RunService service, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.GetAsync(id, cancellationToken));

    private static async Task<ApiRunEvents> EventsAsync(string id, long? after, int? wait, RunService service, IRunEventStore events,
        CancellationToken cancellationToken)
    {
        var since = ApiProblems.After(after);
        if (wait is < 0 or > LongestWaitSeconds) throw new ApiFieldException("wait", $"'wait' is between 0 and {LongestWaitSeconds} seconds, not {wait}.");
        await service.GetAsync(id, cancellationToken);
        var read = await events.ReadAsync(id, since, cancellationToken);
        if (read.Count == 0 && wait > 0) read = await NextAsync(events, id, since, TimeSpan.FromSeconds(wait.Value), cancellationToken);
        // Read after the events, so that an ending the events show is in the state too.
        var run = await service.GetAsync(id, cancellationToken);
        var ended = !RunStateMachine.IsOpen(run.State);
        if (ended)
        {
            // The run's last event (its StateChanged) is written just after the run is saved: a run read as ended sends what came meanwhile,
            // and says "ended" only once that last event is in what the pipeline has, so that nothing follows an "ended".
            read = [.. read, .. await events.ReadAsync(id, read.Count == 0 ? since : read[^1].Sequence, cancellationToken)];
            var last = read.Count > 0 ? read[^1] : (await events.ReadAsync(id, Math.Max(0, since - 1), cancellationToken)).LastOrDefault();
            ended = last?.Event.Kind == RunEventKind.StateChanged;
        }
        return new ApiRunEvents(id, read.Select(ApiEvent.Of).ToList(), read.Count == 0 ? since : read[^1].Sequence, run.State.ToString(), ended);
    }

    /// <summary>The events after <paramref name="since"/> once at least one is there, or none after <paramref name="wait"/>.</summary>
    internal static async Task<IReadOnlyList<StoredRunEvent>> NextAsync(IRunEventStore events, string id, long since, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await foreach (var _ in events.FollowAsync(id, since, timeout.Token)) break;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        return await events.ReadAsync(id, since, cancellationToken);
    }

    private static async Task<ApiRun> TickAsync(string id, string itemId, TickRequest request, RunService service, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        ApiRun.Of(await service.TickAsync(ApiCaller.Of(user), id, itemId, request.Comment, Revision(request.Revision), cancellationToken));

    private static async Task<ApiRun> BackUpAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.BackUpAsync(ApiCaller.Of(user), id, Revision(request.Revision), cancellationToken));

    private static async Task<ApiRun> PreChecksAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.RunPreChecksAsync(ApiCaller.Of(user), id, Revision(request.Revision), cancellationToken));

    private static async Task<ApiRun> RequestApprovalAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        ApiRun.Of(await service.RequestApprovalAsync(ApiCaller.Of(user), id, Revision(request.Revision), cancellationToken));

    private static async Task<ApiRun> StartAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.StartAsync(ApiCaller.Of(user), id, Revision(request.Revision), request.TargetName, cancellationToken));

    private static async Task<ApiRun> CancelAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.CancelAsync(ApiCaller.Of(user), id, Revision(request.Revision), cancellationToken));

    private static async Task<ApiRun> PauseAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.PauseAsync(ApiCaller.Of(user), id, Revision(request.Revision), cancellationToken));

    private static async Task<ApiRun> ResumeAsync(string id, RunActionRequest request, RunService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiRun.Of(await service.ResumeAsync(ApiCaller.Of(user), id, Revision(request.Revision), cancellationToken));

    private static long Revision(long? revision) => ApiProblems.Required(revision, "revision");
}
