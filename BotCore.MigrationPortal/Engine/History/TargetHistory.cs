namespace BotCore.MigrationPortal.Engine.History;

/// <summary>A target's applied schema version (from <c>system_config</c>) and its changelog, oldest entry first.</summary>
public sealed record TargetHistory(SchemaVersion Applied, DateTime? UpdatedAt, string? UpdatedBy, IReadOnlyList<ChangelogEntry> Changelog)
{
    public static TargetHistory Empty { get; } = new(SchemaVersion.Zero, null, null, []);

    public IEnumerable<ChangelogEntry> EntriesFor(SchemaVersion version) => Changelog.Where(e => e.Version == version.ToString());
}
