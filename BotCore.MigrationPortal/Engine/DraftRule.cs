using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Engine;

/// <summary>
/// A draft migration (the spec's "Pending") runs on Production only with someone's written release, in the portal (an Admin's
/// release note on the run) and on the command line (<c>--release-note</c>) alike; undoing one needs none.
/// </summary>
public static class DraftRule
{
    /// <summary>The drafts among <paramref name="versions"/> that a run in <paramref name="direction"/> applies.</summary>
    public static IReadOnlyList<SchemaVersion> Applied(MigrationRegistry registry, Direction direction, IEnumerable<SchemaVersion> versions) =>
        direction == Direction.Up ? versions.Where(v => registry.Find(v)?.IsDraft == true).ToList() : [];

    public static bool NeedsRelease(TargetTier tier, IReadOnlyList<SchemaVersion> drafts) => tier == TargetTier.Production && drafts.Count > 0;
}
