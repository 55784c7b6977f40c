using System.Collections.Immutable;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>
/// What the spec cares about in a database: its collections, their options and indexes, and the schema
/// version. Immutable: steps fold over it, a live database is read into it, and two are compared with
/// <see cref="CatalogDiff"/>.
/// </summary>
public sealed record SchemaCatalog(SchemaVersion Version, ImmutableSortedDictionary<string, CollectionDefinition> Collections)
{
    public static SchemaCatalog Empty { get; } =
        new(SchemaVersion.Zero, ImmutableSortedDictionary<string, CollectionDefinition>.Empty.WithComparers(StringComparer.Ordinal));

    public CollectionDefinition? Find(string name) => Collections.GetValueOrDefault(name);

    /// <exception cref="StepConflictException">The collection does not exist.</exception>
    public CollectionDefinition Get(string name) =>
        Find(name) ?? throw new StepConflictException($"Collection '{name}' does not exist.");

    // Not SetItem: it keeps the old value when the new one is equal, and equality ignores the owner, which With must set.
    public SchemaCatalog With(CollectionDefinition collection) =>
        this with { Collections = Collections.Remove(collection.Name).Add(collection.Name, collection) };

    public SchemaCatalog Without(string name) => this with { Collections = Collections.Remove(name) };

    public SchemaCatalog WithVersion(SchemaVersion version) => this with { Version = version };

    public static SchemaCatalog Of(SchemaVersion version, IEnumerable<CollectionDefinition> collections) =>
        collections.Aggregate(Empty.WithVersion(version), (catalog, c) => catalog.With(c));

    public bool Equals(SchemaCatalog? other) =>
        other is not null && Version == other.Version && Collections.Values.SequenceEqual(other.Collections.Values);

    public override int GetHashCode() => HashCode.Combine(Version, Collections.Count);
}
