using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Adoption;

/// <summary>A target's history, or, for a database built outside the portal, why it must be adopted first.</summary>
/// <param name="History">Null when the version documents name no one version (several documents).</param>
/// <param name="NotAdopted">Why the database must be adopted before anything runs on it; null when it is adopted (or empty).</param>
public sealed record TargetReading(TargetHistory? History, string? NotAdopted)
{
    /// <summary>Reads the history; a database that needs adopting is said so instead of failing (several version documents, no changelog).</summary>
    /// <exception cref="MigrationEngineException">The target cannot be read for another reason (unreachable, a version that is not one).</exception>
    public static async Task<TargetReading> ReadAsync(IMigrationTarget target, CancellationToken cancellationToken)
    {
        TargetHistory history;
        try
        {
            history = await target.ReadHistoryAsync(cancellationToken);
        }
        catch (MigrationEngineException)
        {
            // Several version documents fail the read; that is for adoption to settle, anything else is the real problem.
            if (await AdoptionNeedAsync(target, cancellationToken) is { } need) return new TargetReading(null, need);
            throw;
        }
        return new TargetReading(history, history.IsAdopted ? null : AdoptionNeed.Of(await target.ReadForAdoptionAsync(cancellationToken)));
    }

    /// <summary>The history of a target migrations may run on.</summary>
    /// <exception cref="TargetNotAdoptedException">The database was migrated outside the portal: it must be adopted (baseline) first.</exception>
    /// <exception cref="MigrationEngineException">The target cannot be read.</exception>
    public static async Task<TargetHistory> ReadAdoptedAsync(IMigrationTarget target, CancellationToken cancellationToken)
    {
        var reading = await ReadAsync(target, cancellationToken);
        return reading.NotAdopted is { } need ? throw new TargetNotAdoptedException(target.Name, need) : reading.History!;
    }

    private static async Task<string?> AdoptionNeedAsync(IMigrationTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return AdoptionNeed.Of(await target.ReadForAdoptionAsync(cancellationToken));
        }
        catch (MigrationEngineException)
        {
            return null;
        }
    }
}
