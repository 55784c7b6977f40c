using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// A run: one target taken from one version to another, with its checklist, approval and outcome.
/// Immutable; every change goes through <see cref="RunStateMachine"/> or the run service and bumps
/// <see cref="Revision"/>, which is how a stale page or a double click is detected.
/// </summary>
public sealed record MigrationRun
{
    [BsonId] public required string Id { get; init; }
    public required string Target { get; init; }
    public required TargetTier Tier { get; init; }
    public required SchemaVersion From { get; init; }
    public required SchemaVersion To { get; init; }
    public RunKind Kind { get; init; }

    /// <summary>The run this one rolls back, for rollback runs.</summary>
    public string? RollbackOf { get; init; }

    /// <summary>The migrations the run applies or undoes, with the checksums they had when the run was created.</summary>
    public required IReadOnlyList<VersionChecksum> Checksums { get; init; }

    public required string RequestedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public RunState State { get; init; }
    public DateTime UpdatedAt { get; init; }
    public long Revision { get; init; }
    public IReadOnlyList<ChecklistItemState> Checklist { get; init; } = [];
    public Approval? Approval { get; init; }

    /// <summary>Why the last approval was voided, shown until the run is approved again.</summary>
    public string? ApprovalVoided { get; init; }

    /// <summary>An Approver's return of the run to the person who asked for approval, shown until she asks again.</summary>
    public SentBack? SentBack { get; init; }

    /// <summary>What people wrote on the run, oldest first; shown in its history with the state changes.</summary>
    public IReadOnlyList<RunComment> Comments { get; init; } = [];

    public StagingOverride? StagingOverride { get; init; }

    /// <summary>An Admin's acceptance of the target's blocking drift, bound to exactly those differences.</summary>
    public DriftAcceptance? DriftAcceptance { get; init; }

    /// <summary>An Admin's written release of the draft migrations this run applies, needed on Production.</summary>
    public DraftRelease? DraftRelease { get; init; }

    /// <summary>For a baseline run: the version a database built outside the portal is adopted at, and why.</summary>
    public AdoptionRequest? Adoption { get; init; }

    /// <summary>For a fix run (and the undo of a fix): the fix, with the checksum it had when the run was created; null for other runs.</summary>
    public RunFix? Fix { get; init; }

    /// <summary>When the approved run starts by itself (a maintenance window), and who said so; null when it is not scheduled.</summary>
    public RunSchedule? Schedule { get; init; }

    /// <summary>
    /// A verified whole-database backup of the target taken shortly before (say, from the Backups page), attached in place of a backup
    /// of the run's own; null when none was attached.
    /// </summary>
    public AttachedBackup? AttachedBackup { get; init; }

    /// <summary>For a rollback run: the restore from backup a person started as the last resort (the latest), or null.</summary>
    public RunRestore? Restore { get; init; }

    public string? JobId { get; init; }
    public DateTime? StartedAt { get; init; }

    /// <summary>
    /// Whether a failed post-migration validation rolls this run back at once: its target's
    /// <see cref="TargetOptions.RollBackOnFailedValidation"/>, recorded when the run started (null before), so that the run shows what
    /// applied to it whatever the setting says later.
    /// </summary>
    public bool? RollBackOnFailedValidation { get; init; }

    public DateTime? FinishedAt { get; init; }

    /// <summary>
    /// The version the run's job left the target at, as the engine read it when the run ended (null before, and when the job
    /// lost track of the target): what "the target is at now" says on a failed, cancelled or rolled-back run.
    /// </summary>
    public SchemaVersion? LeftAt { get; init; }

    public string? Error { get; init; }
    public string? CancelRequestedBy { get; init; }

    /// <summary>A person's pause of the running data step, from her request until someone resumes it; null when none holds.</summary>
    public DataStepPause? Pause { get; init; }

    /// <summary>Every pause asked, reached and lifted, oldest first; shown in the run's history.</summary>
    public IReadOnlyList<PauseRecord> Pauses { get; init; } = [];
    public IReadOnlyList<StateTransition> Transitions { get; init; } = [];
    public IReadOnlyList<CollectionCheck> Validation { get; init; } = [];

    /// <summary>The pre-migration integrity checks as they last ran, one by one (the checklist's "Ran pre-migration validation" sums them up).</summary>
    public IReadOnlyList<RecordedCheck> PreMigrationChecks { get; init; } = [];

    /// <summary>Its critical queries measured before and after it, and the slow operations after it; null when it has none (or ran before this was recorded).</summary>
    public Performance.RunPerformance? Performance { get; init; }

    public Direction Direction => To >= From ? Direction.Up : Direction.Down;

    /// <summary>The target while the run is open, else null: stored, so that the store itself allows one open run per target.</summary>
    [BsonElement]
    public string? OpenOnTarget => RunStateMachine.IsOpen(State) ? Target : null;

    public bool IsRollback => Kind != RunKind.Migration;

    public ChecklistItemState? Item(string id) => Checklist.FirstOrDefault(i => i.ItemId == id);

    /// <summary>The last "Request approval" (who asked and when), or null when nobody has asked.</summary>
    public StateTransition? ApprovalRequest() => Transitions.LastOrDefault(t => t.To == RunState.AwaitingApproval);

    /// <summary>A new run's id: when it was created, and enough randomness that two created in the same second differ.</summary>
    public static string NewId(DateTime now) => $"run-{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}";

    public MigrationRun WithItem(ChecklistItemState item) =>
        this with { Checklist = Checklist.Select(existing => existing.ItemId == item.ItemId ? item : existing).ToList() };
}

/// <summary>The data fix a fix run applies or undoes, as it was when the run was created (its source is bound to the approval by its checksum).</summary>
public sealed record RunFix(string Id, string Checksum, string Collection, string Description)
{
    public string ShortChecksum => Checksum[..12];

    public static RunFix Of(Fixes.RegisteredFix fix) => new(fix.Id, fix.Checksum, fix.Collection, fix.Description);
}

public sealed record VersionChecksum(SchemaVersion Version, string Checksum);

public sealed record StateTransition(RunState From, RunState To, DateTime At, string By, string Reason);

/// <summary>A second person's approval, bound to the facts it was given on: any change to them voids it.</summary>
public sealed record Approval(string By, DateTime At, IReadOnlyList<string> BoundFacts);

/// <summary>
/// An Approver's decision not to approve the run as it is: it went back to pre-checks, to <paramref name="To"/>, who asked for
/// approval, with the reason written down.
/// </summary>
public sealed record SentBack(string By, DateTime At, string Reason, string To);

/// <summary>A person's note on a run, kept with it (and in the audit log).</summary>
public sealed record RunComment(string By, DateTime At, string Text);

/// <summary>An Admin's decision to run on Production without a staging run of the same checksums.</summary>
public sealed record StagingOverride(string By, DateTime At, string Reason);

/// <summary>
/// An Admin's decision to run although the target has blocking drift, with a written reason. Bound to the exact differences
/// (their <paramref name="Fingerprint"/>): as soon as they change, the acceptance no longer holds.
/// </summary>
public sealed record DriftAcceptance(string By, DateTime At, string Reason, string Fingerprint, IReadOnlyList<string> Differences);

/// <summary>An Admin's written decision that the draft migrations of a run may run on Production (the spec marks them Pending).</summary>
public sealed record DraftRelease(string By, DateTime At, string Note, IReadOnlyList<SchemaVersion> Drafts);

/// <summary>
/// What a baseline run adopts: the version, the reason, and the blocking differences the requester accepted in writing (a close
/// match), bound by their <paramref name="Fingerprint"/>: when the database's differences change, the run no longer fits.
/// </summary>
public sealed record AdoptionRequest(SchemaVersion At, string Reason, string Fingerprint, IReadOnlyList<string> AcceptedDifferences)
{
    public bool DifferencesAccepted => AcceptedDifferences.Count > 0;
}

/// <summary>One integrity check as it ran for a run: its outcome in a word, what it found, and how long it took.</summary>
public sealed record RecordedCheck(string CheckId, string Name, string Verdict, bool Blocks, bool Simulated, string Summary, IReadOnlyList<string> Evidence,
    double DurationMs, DateTime At)
{
    public static RecordedCheck Of(Checks.CheckResult result, DateTime at) => new(result.CheckId, result.Name, result.Verdict, result.Blocks,
        result.Outcome == Checks.CheckOutcome.Simulated, result.Summary, result.Evidence, result.Duration.TotalMilliseconds, at);
}

/// <summary>A person's decision that <paramref name="BackupId"/>, a backup not taken for the run, is the run's backup.</summary>
public sealed record AttachedBackup(string BackupId, string By, DateTime At);

/// <summary>
/// A restore of <paramref name="BackupId"/> over the target that a person started from a rollback run, as restore
/// <paramref name="RestoreId"/> (its record and progress are on the Backups page); the run's "restored from backup" item follows it.
/// </summary>
public sealed record RunRestore(string BackupId, string RestoreId, string By, DateTime At);

/// <summary>The post-validation of one collection after the run.</summary>
public sealed record CollectionCheck(string Collection, bool Passed, string Summary);

/// <summary>
/// A pause of a running run's data step that <paramref name="By"/> asked for at <paramref name="At"/>: the job holds the step at its next
/// batch boundary (<paramref name="Reached"/> says where, once it has) until someone resumes it. The step's checkpoint stays, the run stays Running.
/// </summary>
public sealed record DataStepPause(string By, DateTime At, PausePoint? Reached = null)
{
    /// <summary>"Paused at 120,000/250,000 documents by olga at …", or, before the job reached a boundary, that it will stop there.</summary>
    public string Describe() => Reached is { } point
        ? $"Paused at {point.Processed:N0}/{point.Total:N0} documents{(point.Simulated ? " (simulated)" : "")} by {By} at {point.At:u}, after batch {point.Batch:N0} of step {point.StepKey}. " +
          "The step's checkpoint is kept; Resume continues with the next batch."
        : $"{By} asked to pause at {At:u}: the running data step stops at its next batch boundary.";
}

/// <summary>The batch boundary where the job holds a paused data step.</summary>
public sealed record PausePoint(string StepKey, long Batch, long Processed, long Total, bool Simulated, DateTime At);

/// <summary>One line of a run's pauses: asked (by a person), reached (by the job, at a batch boundary) or resumed (by a person).</summary>
public sealed record PauseRecord(string What, string By, DateTime At, string Details)
{
    public const string Asked = "Pause asked";
    public const string Reached = "Paused";
    public const string Resumed = "Resumed";
}
