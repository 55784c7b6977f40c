using BotCore.MigrationPortal.Engine.Ports;


namespace BotCore.MigrationPortal.Runs.Store;

public sealed record RunQuery(string? Target = null, RunState? State = null, int Page = 0, int PageSize = 25);

public sealed record RunPage(IReadOnlyList<MigrationRun> Runs, long Total);

/// <summary>Where runs are kept: the portal's MongoDB database, or memory in sandbox mode.</summary>
public interface IRunStore
{
    /// <summary>Stores a new run, unless its target already has an open run (<see cref="RunStateMachine.IsOpen"/>).</summary>
    /// <returns>Null when the run was stored; otherwise the target's open run, and nothing was stored.</returns>
    Task<MigrationRun?> TryInsertAsync(MigrationRun run, CancellationToken cancellationToken);

    Task<MigrationRun?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="run"/> if the stored run still has <paramref name="expectedRevision"/>; false when someone
    /// changed it meanwhile. This is what turns a double click or a second browser into a clear refusal.
    /// </summary>
    Task<bool> TryReplaceAsync(MigrationRun run, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>Newest first, one page, with the total.</summary>
    Task<RunPage> QueryAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>The succeeded runs on targets of one tier (the evidence for "tested on staging").</summary>
    Task<IReadOnlyList<MigrationRun>> SucceededOnTierAsync(TargetTier tier, CancellationToken cancellationToken);

    Task<MigrationRun?> LatestForTargetAsync(string target, CancellationToken cancellationToken);

    /// <summary>The open runs (<see cref="RunStateMachine.IsOpen"/>): at most one per target, so few, in no particular order.</summary>
    Task<IReadOnlyList<MigrationRun>> OpenAsync(CancellationToken cancellationToken);
}
