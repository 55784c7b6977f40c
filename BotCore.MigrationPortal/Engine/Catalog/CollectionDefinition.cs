using System.Collections.Immutable;

namespace BotCore.MigrationPortal.Engine.Catalog;

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

    public CollectionDefinition WithIndex(IndexDefinition index) => this with { Indexes = Indexes.SetItem(index.Name, index) };

    public CollectionDefinition WithoutIndex(string name) => this with { Indexes = Indexes.Remove(name) };

    public CollectionDefinition WithoutIndexes() => this with { Indexes = Indexes.Clear() };

    /// <summary>Same type and options; indexes are not compared.</summary>
    public bool HasSameShapeAs(CollectionDefinition other) => Type == other.Type && Options == other.Options;

    public bool Equals(CollectionDefinition? other) =>
        other is not null && Name == other.Name && HasSameShapeAs(other) && Indexes.Values.SequenceEqual(other.Indexes.Values);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Options, Indexes.Count);
}
