using System.Text;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// The names a shadow rebuild of <see cref="Collection"/> at <see cref="Version"/> uses: the shadow it builds, the name the original
/// keeps after the swap, and the bookkeeping document that remembers where its change stream started.
/// </summary>
public sealed record ShadowNames
{
    /// <summary>
    /// MongoDB's limit on a namespace (<c>database.collection</c>), in bytes (manual, "MongoDB Limits and Thresholds": 255 bytes for
    /// an unsharded collection since 4.4). Checked against the target's database name when the step runs.
    /// </summary>
    public const int MaxNamespaceBytes = 255;

    public ShadowNames(string collection, string version)
    {
        // Collection name rules (manual, "Naming Restrictions"): not empty, no '$', no null character, not in the system. namespace.
        if (string.IsNullOrEmpty(collection) || collection.Contains('$') || collection.Contains('\0') || collection.StartsWith("system.", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{collection}' is not a collection a shadow rebuild can work on (empty, a '$', a null character or a system. name).",
                nameof(collection));
        }
        Collection = collection;
        Version = SchemaVersion.Parse(version).ToString();
        Shadow = $"{collection}_shadow";
        // Dots in a collection name are allowed but read as sub-collections by tools and people; 2.0.0 becomes 2_0_0.
        Before = $"{collection}_before_{new string([.. Version.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')])}";
        StreamMarker = $"shadow-stream/{collection}/{Version}";
    }

    public string Collection { get; }

    public string Version { get; }

    public string Shadow { get; }

    public string Before { get; }

    /// <summary>The <c>_id</c> of the document in <c>migration_checkpoints</c> holding the change stream's resume token.</summary>
    public string StreamMarker { get; }

    public IReadOnlyList<string> All => [Collection, Shadow, Before];

    /// <summary>Why the names do not fit in <paramref name="database"/>, or null when they do.</summary>
    public string? TooLongIn(string database)
    {
        var longest = new[] { Shadow, Before }.MaxBy(name => name.Length)!;
        var bytes = Encoding.UTF8.GetByteCount($"{database}.{longest}");
        return bytes > MaxNamespaceBytes
            ? $"the namespace {database}.{longest} would be {bytes} bytes, over MongoDB's limit of {MaxNamespaceBytes}"
            : null;
    }
}
