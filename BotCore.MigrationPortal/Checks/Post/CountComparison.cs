using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Checks.Post;

/// <summary>
/// Compares document counts before and after a run. Data steps add fields, never documents they were not asked to, and
/// never delete: fewer documents after the run fails, more are shown (the application keeps writing during a
/// zero-downtime run). A collection the plan drops is expected to be gone; one of the application's never is, since no
/// migration drops it.
/// </summary>
internal static class CountComparison
{
    /// <param name="expectedAfter">The expected catalog at the plan's target version: what it lacks, the plan dropped…</param>
    /// <param name="applicationCollections">…unless the collection is the application's.</param>
    public static CheckFinding Compare(
        IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, SchemaCatalog expectedAfter, IReadOnlySet<string> applicationCollections)
    {
        var lines = new List<string>();
        var lost = 0;
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var (had, has) = (before.TryGetValue(name, out var b) ? b : (long?)null, after.TryGetValue(name, out var a) ? a : (long?)null);
            var dropped = expectedAfter.Find(name) is null && !applicationCollections.Contains(name);
            var fewer = has is null ? !dropped : has < had;
            if (fewer) lost++;
            lines.Add($"{name}: {Count(had, "did not exist")} → {Count(has, dropped ? "dropped by the plan" : "missing")}{Change(had, has)}" +
                (fewer && Expires(expectedAfter.Find(name)) ? " (it has a TTL index, which deletes expired documents at any time)" : ""));
        }
        return lost == 0
            ? CheckFinding.Pass($"no collection lost documents ({lines.Count} compared)", lines)
            : CheckFinding.Fail($"{Counted.Of(lost, "collection")} {Counted.Pick(lost, "has", "have")} fewer documents than before the run: its data steps never delete documents", lines);
    }

    private static string Count(long? count, string absent) => count is { } n ? $"{n:N0}" : absent;

    private static string Change(long? had, long? has) =>
        (had, has) is ({ } b, { } a) && a != b ? $" ({a - b:+#,0;-#,0})" : "";

    private static bool Expires(CollectionDefinition? collection) =>
        collection is not null && (collection.Options.ExpireAfterSeconds is not null || collection.Indexes.Values.Any(i => i.ExpireAfterSeconds is not null));
}
