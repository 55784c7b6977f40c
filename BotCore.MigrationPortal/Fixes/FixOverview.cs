using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>One target as the Fixes page shows it: where each fix stands in its journal, or why the journal could not be read.</summary>
public sealed record FixTargetJournal(TargetDescriptor Target, IReadOnlyList<FixStatus> Fixes, string? Problem)
{
    public FixStatus? StatusOf(string fixId) => Fixes.FirstOrDefault(s => s.Fix.Id == fixId);
}

/// <summary>Reads every target's fix journal for the Fixes page and <c>fix list</c>; a target that does not answer says why and does not hide the others.</summary>
public sealed class FixOverview(FixRegistry fixes, TargetRegistry targets)
{
    public IReadOnlyList<RegisteredFix> Fixes => fixes.Fixes;

    /// <summary>All targets at once: an unreachable one costs the page one server-selection timeout, not one per target.</summary>
    public async Task<IReadOnlyList<FixTargetJournal>> ReadAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(targets.All.Select(target => ReadAsync(target, cancellationToken)));

    public async Task<FixTargetJournal> ReadAsync(TargetDescriptor target, CancellationToken cancellationToken)
    {
        try
        {
            var journal = await targets.Get(target.Name).ReadFixJournalAsync(cancellationToken);
            return new FixTargetJournal(target, fixes.Fixes.Select(f => FixStatus.Of(f, journal)).ToList(), null);
        }
        catch (MigrationEngineException e)
        {
            return new FixTargetJournal(target, [], e.Message);
        }
    }
}
