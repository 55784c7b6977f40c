using System.Collections.Immutable;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>Who a collection belongs to (see DESIGN.md, "Brownfield databases and ownership").</summary>
public enum CollectionOwner
{
    /// <summary>Created and dropped by the migrations: any difference from what they declare is real drift.</summary>
    Migrations,

    /// <summary>
    /// The application's: a migration makes sure it exists and adds what it needs (indexes, fields), never drops it; the
    /// collection's options and what the application adds to it (indexes, documents) are not drift.
    /// </summary>
    Application,
}

/// <summary>A collection with its options and its indexes (the implicit <c>_id_</c> index is not listed).</summary>
public sealed record CollectionDefinition(
    string Name,
    CollectionType Type,
    CollectionOptions Options,
    ImmutableSortedDictionary<string, IndexDefinition> Indexes)
{
    public CollectionDefinition(string name, CollectionType type, CollectionOptions options)
        : this(name, type, options, ImmutableSortedDictionary<string, IndexDefinition>.Empty.WithComparers(StringComparer.Ordinal))
    {
    }

    public static CollectionDefinition Plain(string name) => new(name, CollectionType.Collection, CollectionOptions.None);

    /// <summary>
    /// Whose collection it is, as the migrations declare it (a live database does not say: read from one, it is
    /// <see cref="CollectionOwner.Migrations"/>). Not part of equality: ownership says how to judge a difference, it is not one.
    /// </summary>
    public CollectionOwner Owner { get; init; } = CollectionOwner.Migrations;

    public CollectionDefinition WithIndex(IndexDefinition index) => this with { Indexes = Indexes.SetItem(index.Name, index) };

    public CollectionDefinition WithoutIndex(string name) => this with { Indexes = Indexes.Remove(name) };

    public CollectionDefinition WithoutIndexes() => this with { Indexes = Indexes.Clear() };

    /// <summary>Same type and options; indexes are not compared.</summary>
    public bool HasSameShapeAs(CollectionDefinition other) => Type == other.Type && Options == other.Options;

    public bool Equals(CollectionDefinition? other) =>
        other is not null && Name == other.Name && HasSameShapeAs(other) && Indexes.Values.SequenceEqual(other.Indexes.Values);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Options, Indexes.Count);
}
