using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Runs.Overview;

/// <summary>What the dashboard and a target's migrations page show about one target.</summary>
/// <param name="Problem">Why the target could not be read (unreachable, not configured), with what to do; null when it was read.</param>
/// <param name="NotAdopted">Why the database must be adopted before anything runs on it (built outside the portal); null when adopted.</param>
public sealed record TargetOverview(
    TargetDescriptor Target,
    string? Problem,
    TargetHistory? History,
    DriftReport? Drift,
    string? DriftProblem,
    IReadOnlyList<MigrationStatus> Migrations,
    MigrationRun? LastRun,
    string? NotAdopted = null)
{
    public bool Reachable => Problem is null;

    public IEnumerable<MigrationStatus> Pending => Migrations.Where(m => m.State is MigrationState.Pending or MigrationState.Failed);
}

/// <summary>Reads a target's version, history, drift and last run, turning an unreachable target into a message.</summary>
public sealed class TargetOverviewService(MigrationRegistry registry, TargetRegistry targets, IRunStore runs, ILogger<TargetOverviewService> logger)
{
    public IReadOnlyList<TargetDescriptor> Targets => targets.All;

    public async Task<TargetOverview> GetAsync(string name, CancellationToken cancellationToken)
    {
        var descriptor = targets.All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new BadInputException($"There is no target '{name}'. Configured targets: {string.Join(", ", targets.All.Select(t => t.Name))}.");
        var lastRun = await runs.LatestForTargetAsync(descriptor.Name, cancellationToken);
        try
        {
            var target = targets.Get(descriptor.Name);
            var reading = await TargetReading.ReadAsync(target, cancellationToken);
            if (reading.NotAdopted is { } notAdopted) return new TargetOverview(descriptor, null, reading.History, null, null, [], lastRun, notAdopted);
            var history = reading.History!;
            var statuses = MigrationStatus.For(registry, history);
            try
            {
                return new TargetOverview(descriptor, null, history, DriftReport.Of(registry, await target.ReadCatalogAsync(cancellationToken)), null, statuses, lastRun);
            }
            catch (MigrationEngineException e) when (e is not TargetUnreachableException)
            {
                return new TargetOverview(descriptor, null, history, null, e.Message, statuses, lastRun);
            }
        }
        catch (MigrationEngineException e)
        {
            logger.LogInformation("Target {Target} could not be read: {Problem}", descriptor.Name, e.Message);
            return new TargetOverview(descriptor, e.Message, null, null, null, [], lastRun);
        }
    }
}
