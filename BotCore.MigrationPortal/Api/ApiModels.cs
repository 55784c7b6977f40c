using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Overview;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Api;

// What the API sends and accepts: plain records with strings for versions, states and times as ISO 8601 UTC, so that a
// pipeline reads them with curl and jq, and the portal's own models can change without changing the API.

public sealed record ApiTarget(string Name, string Tier, bool Sandbox)
{
    public static ApiTarget Of(TargetDescriptor target) => new(target.Name, target.Tier.ToString(), target.IsSandbox);
}

/// <param name="Problem">Why the target could not be read; null when it was.</param>
/// <param name="NotAdopted">Why the database must be adopted in the portal before anything runs on it; null when adopted.</param>
public sealed record ApiTargetStatus(
    string Name,
    string Tier,
    string? Version,
    string? Problem,
    string? NotAdopted,
    IReadOnlyList<ApiMigrationState> Migrations,
    ApiDrift? Drift,
    string? DriftProblem,
    ApiRunSummary? LastRun)
{
    public static ApiTargetStatus Of(TargetOverview overview) => new(
        overview.Target.Name, overview.Target.Tier.ToString(), overview.History?.Applied.ToString(), overview.Problem, overview.NotAdopted,
        overview.Migrations.Select(m => new ApiMigrationState(m.Migration.Version.ToString(), m.State.ToString(), m.Explanation)).ToList(),
        overview.Drift is { } drift ? ApiDrift.Of(drift) : null, overview.DriftProblem, overview.LastRun is { } run ? ApiRunSummary.Of(run) : null);
}

public sealed record ApiMigrationState(string Version, string State, string Explanation);

/// <param name="HasBlockingDrift">Migration-owned objects are missing or different: runs on the target fail their pre-checks.</param>
public sealed record ApiDrift(string Version, bool HasBlockingDrift, IReadOnlyList<string> Blocking, IReadOnlyList<string> Tolerated,
    IReadOnlyList<string> Informational, string Fingerprint)
{
    public static ApiDrift Of(Engine.Catalog.DriftReport drift) => new(drift.Version.ToString(), drift.HasDrift,
        drift.Blocking.Select(d => d.Describe()).ToList(), drift.Tolerated.Select(d => d.Describe()).ToList(),
        drift.Informational.Select(d => d.Describe()).ToList(), drift.Fingerprint);
}

public sealed record ApiMigration(string Version, string Description, string Checksum, bool Draft, string SourceFile, IReadOnlyList<string> Steps)
{
    public static ApiMigration Of(RegisteredMigration migration) => new(migration.Version.ToString(), migration.Description, migration.Checksum,
        migration.IsDraft, migration.SourceFileName, migration.Steps.Select(s => s.Description).ToList());
}

public sealed record ApiRunSummary(string Id, string Target, string Kind, string From, string To, string State, DateTime CreatedAt, string RequestedBy)
{
    public static ApiRunSummary Of(MigrationRun run) =>
        new(run.Id, run.Target, run.Kind.ToString(), run.From.ToString(), run.To.ToString(), run.State.ToString(), run.CreatedAt, run.RequestedBy);
}

public sealed record ApiRunPage(IReadOnlyList<ApiRunSummary> Runs, long Total, int Page, int PageSize);

/// <param name="Revision">Send it back with an action: an action on an older revision is refused (409), as a stale page is.</param>
/// <param name="Ended">The run will not change by itself any more (succeeded, failed, rolled back, cancelled): a pipeline stops following it.</param>
public sealed record ApiRun(
    string Id,
    string Target,
    string Tier,
    string Kind,
    string Direction,
    string From,
    string To,
    string State,
    bool Ended,
    long Revision,
    string RequestedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error,
    ApiApproval? Approval,
    string? ApprovalVoided,
    IReadOnlyList<ApiChecklistItem> Checklist,
    IReadOnlyList<string> NotReadyForApproval,
    ApiRunFix? Fix = null)
{
    /// <summary>The pause of its data step while one holds (asked, and where the step stopped once it has); null otherwise.</summary>
    public ApiPause? Pause { get; init; }

    public static ApiRun Of(MigrationRun run) => Described(run) with { Pause = ApiPause.Of(run) };

    private static ApiRun Described(MigrationRun run) => new(
        run.Id, run.Target, run.Tier.ToString(), run.Kind.ToString(), run.Direction.ToString(), run.From.ToString(), run.To.ToString(), run.State.ToString(),
        !RunStateMachine.IsOpen(run.State), run.Revision, run.RequestedBy, run.CreatedAt, run.UpdatedAt, run.StartedAt, run.FinishedAt, run.Error,
        run.Approval is { } approval ? new ApiApproval(approval.By, approval.At) : null, run.ApprovalVoided,
        run.Checklist.Select(ApiChecklistItem.Of).ToList(), PreCheckEvaluator.Unsatisfied(run),
        run.Fix is { } fix ? new ApiRunFix(fix.Id, fix.Checksum, fix.Collection) : null);
}

public sealed record ApiApproval(string By, DateTime At);

/// <param name="Reached">False until the job stopped the data step at a batch boundary; then where: step, batch, documents processed of the total.</param>
/// <param name="Simulated">The documents are the sandbox's simulation.</param>
public sealed record ApiPause(string By, DateTime At, bool Reached, string? StepKey, long? Batch, long? Processed, long? Total, bool Simulated, string Summary)
{
    public static ApiPause? Of(MigrationRun run) => run.Pause is { } pause && run.State == RunState.Running
        ? new(pause.By, pause.At, pause.Reached is not null, pause.Reached?.StepKey, pause.Reached?.Batch, pause.Reached?.Processed, pause.Reached?.Total,
            pause.Reached?.Simulated ?? false, pause.Describe())
        : null;
}

/// <summary>The data fix a run of kind Fix or FixUndo applies or undoes, with the checksum it was created with.</summary>
public sealed record ApiRunFix(string Id, string Checksum, string Collection);

/// <summary>A data fix of this build (<c>fixes/</c>).</summary>
public sealed record ApiFix(string Id, string Checksum, string Collection, string Description, IReadOnlyList<string> Fields)
{
    public static ApiFix Of(Fixes.RegisteredFix fix) => new(fix.Id, fix.Checksum, fix.Collection, fix.Description, fix.Definition.Fields);
}

/// <param name="Undo">Prepare the fix's undo instead (restores what it changed).</param>
public sealed record CreateFixRunRequest(string? Target, bool? Undo);

/// <param name="Kind">Automated (the portal settles it) or Manual (a person ticks it: POST .../checklist/{Id}).</param>
/// <param name="Phase">When it is settled: BeforeApproval, DuringRun or AfterRun.</param>
public sealed record ApiChecklistItem(string Id, string Text, string Kind, string Phase, bool Required, string Status, string? Evidence, string? By, DateTime? At,
    string? Comment)
{
    public static ApiChecklistItem Of(ChecklistItemState item)
    {
        var definition = ChecklistTemplate.Get(item.ItemId);
        return new(item.ItemId, definition.Text, definition.Kind.ToString(), definition.Phase.ToString(), definition.Required, item.Status.ToString(), item.Evidence,
            item.By, item.At, item.Comment);
    }
}

/// <param name="Sequence">Ask for the events after the last one you read: <c>?after=Sequence</c>.</param>
public sealed record ApiEvent(long Sequence, DateTimeOffset At, string Kind, string Level, string Message, string? Version, int? StepIndex, int? StepCount, bool? Passed)
{
    public static ApiEvent Of(StoredRunEvent stored) => new(stored.Sequence, stored.Event.At, stored.Event.Kind.ToString(), stored.Event.Level.ToString(),
        stored.Event.Message, stored.Event.Version, stored.Event.StepIndex, stored.Event.StepCount, stored.Event.Passed);
}

/// <param name="Last">The sequence to pass as <c>after</c> next time (the one passed when there is nothing new).</param>
/// <param name="State">The run's state after these events, and whether it has ended, so that one request per loop is enough.</param>
public sealed record ApiRunEvents(string RunId, IReadOnlyList<ApiEvent> Events, long Last, string State, bool Ended);

public sealed record ApiOperationEvents(string OperationId, IReadOnlyList<ApiEvent> Events, long Last);

public sealed record ApiBackup(string Id, string Target, string? RunId, DateTime CreatedAt, string CreatedBy, bool WholeDatabase, IReadOnlyList<string> Collections,
    long TotalBytes, bool Verified, bool? VerificationPassed, DateTime? VerifiedAt, bool Simulated)
{
    public static ApiBackup Of(BackupManifest backup) => new(backup.Id, backup.Target, backup.RunId, backup.CreatedAt, backup.CreatedBy, backup.WholeDatabase,
        backup.Collections.Select(c => c.Name).ToList(), backup.TotalBytes, backup.IsVerified, backup.Verification?.Passed, backup.Verification?.At, backup.Simulated);
}

/// <param name="OperationId">The background job's event stream: follow it at <c>/api/v1/backups/operations/{OperationId}/events</c>.</param>
public sealed record ApiOperation(string OperationId);

public sealed record ApiCheckResult(string Id, string Name, string Phase, string Severity, string Outcome, bool Blocks, string Summary, IReadOnlyList<string> Evidence,
    double DurationMs)
{
    public static ApiCheckResult Of(CheckResult result) => new(result.CheckId, result.Name, result.Phase.ToString(), result.Severity.ToString(),
        result.Outcome.ToString(), result.Blocks, result.Summary, result.Evidence, result.Duration.TotalMilliseconds);
}

/// <param name="Passed">No blocking check failed.</param>
public sealed record ApiCheckReport(string Target, string From, string To, bool Passed, IReadOnlyList<ApiCheckResult> Results);

// Requests. Every field is optional to the JSON reader so that a missing one is answered with a 400 that names it.

public sealed record CreateRunRequest(string? Target, string? To);

/// <param name="Revision">The run's revision as last read (GET /api/v1/runs/{id}).</param>
/// <param name="TargetName">On Production, the target's name typed to confirm a start, as the page asks a person to.</param>
public sealed record RunActionRequest(long? Revision, string? TargetName = null);

public sealed record TickRequest(long? Revision, string? Comment);

public sealed record CreateBackupRequest(string? Target);
