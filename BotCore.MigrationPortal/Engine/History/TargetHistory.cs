namespace BotCore.MigrationPortal.Engine.History;

/// <summary>A target's applied schema version (from <c>system_config</c>) and its changelog, oldest entry first.</summary>
public sealed record TargetHistory(SchemaVersion Applied, DateTime? UpdatedAt, string? UpdatedBy, IReadOnlyList<ChangelogEntry> Changelog)
{
    public static TargetHistory Empty { get; } = new(SchemaVersion.Zero, null, null, []);

    public IEnumerable<ChangelogEntry> EntriesFor(SchemaVersion version) => Changelog.Where(e => e.Version == version.ToString());

    /// <summary>
    /// Whether the portal knows how the database got to its version: it is empty, or it has a changelog. A version document
    /// without a changelog means the database was built outside the portal (the spec's scripts): it must be adopted first.
    /// </summary>
    public bool IsAdopted => Applied == SchemaVersion.Zero || Changelog.Count > 0;
}
