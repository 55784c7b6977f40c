using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Checks;

public enum CheckPhase
{
    PreMigration,
    PostMigration,
}

public enum CheckSeverity
{
    /// <summary>A failure stops the run: it cannot be approved or started.</summary>
    Blocking,

    /// <summary>A failure is shown and recorded, and the DBA decides.</summary>
    Warning,
}

/// <summary>How a check ended.</summary>
public enum CheckOutcome
{
    /// <summary>It ran and found nothing wrong.</summary>
    Passed,

    /// <summary>It found something wrong, or could not run on a real database (not proven is not passed).</summary>
    Failed,

    /// <summary>
    /// It could not run because the target is simulated (the sandbox has no documents, storage engine or query planner): nothing
    /// was proven either way. It does not stop a sandbox run, and it is never shown as passed.
    /// </summary>
    Simulated,
}

/// <summary>What one check found, with the evidence a DBA needs (counts, a few ids, the plan stage) and how long it took.</summary>
public sealed record CheckResult(
    string CheckId,
    string Name,
    CheckPhase Phase,
    CheckSeverity Severity,
    CheckOutcome Outcome,
    string Summary,
    IReadOnlyList<string> Evidence,
    TimeSpan Duration)
{
    /// <summary>It ran and found nothing wrong (a simulated check did not).</summary>
    public bool Passed => Outcome == CheckOutcome.Passed;

    public bool Failed => Outcome == CheckOutcome.Failed;

    public bool Blocks => Failed && Severity == CheckSeverity.Blocking;

    /// <summary>The outcome in one word for evidence and audit lines: "ok", "simulated", "BLOCKING" or "warning".</summary>
    public string Verdict => Outcome switch
    {
        CheckOutcome.Passed => "ok",
        CheckOutcome.Simulated => "simulated",
        _ => Blocks ? "BLOCKING" : "warning",
    };
}

/// <summary>A check as the checks page lists it.</summary>
public sealed record CheckDescriptor(string Id, string Name, string Description, CheckPhase Phase, CheckSeverity Severity);

/// <summary>Document counts of collections at one moment, to compare before and after a run.</summary>
public sealed record CollectionCounts(IReadOnlyDictionary<string, long> Documents, DateTime At);

/// <summary>
/// The spec's "Validate everything": named integrity checks before and after a migration, each blocking or a
/// warning, each with evidence. Against a simulated target, checks that need documents find none and say so.
/// </summary>
public interface IIntegrityChecks
{
    /// <summary>Every check this portal knows, including the ones derived from a plan (named per index, validator or step).</summary>
    IReadOnlyList<CheckDescriptor> Describe(MigrationPlan? plan);

    /// <summary>The pre-migration checks for running <paramref name="plan"/> on <paramref name="target"/>, in the order <see cref="Describe"/> lists them.</summary>
    /// <exception cref="TargetUnreachableException">The target does not answer (a check that fails for another reason is a failed result).</exception>
    Task<IReadOnlyList<CheckResult>> RunPreMigrationAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken);

    /// <summary>Counts the documents of the collections a plan touches that exist, before it runs (a simulated target: 0 each).</summary>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    Task<CollectionCounts> CountAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken);

    /// <summary>The post-migration checks after <paramref name="plan"/> ran, given the counts taken before it.</summary>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    Task<IReadOnlyList<CheckResult>> RunPostMigrationAsync(IMigrationTarget target, MigrationPlan plan, CollectionCounts before,
        CancellationToken cancellationToken);

    /// <summary>
    /// One check on demand (the checks page), for the plan <see cref="Describe"/> listed it with: the page passes the plan from the
    /// target's applied version to the latest for pre-migration checks, and the plan from 0.0.0 to the applied version for
    /// post-migration ones (what the database should be now). On demand there are no counts from before a run: the count
    /// check shows the current counts.
    /// </summary>
    /// <exception cref="BadInputException">No check of that plan has this id.</exception>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    Task<CheckResult> RunOneAsync(string checkId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken);
}
