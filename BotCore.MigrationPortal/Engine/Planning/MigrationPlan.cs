using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Engine.Planning;

public enum Direction
{
    Up,
    Down,
}

public static class DirectionNames
{
    public static string Name(this Direction direction) => direction == Direction.Up ? "up" : "down";
}

/// <summary>A step as it will run, with the catalog before and after it (expected, not live).</summary>
public sealed record PlannedStep(int Number, IMigrationStep Step, SchemaCatalog CatalogBefore, SchemaCatalog CatalogAfter)
{
    public IReadOnlyList<CatalogDifference> Changes => CatalogDiff.Between(CatalogAfter, CatalogBefore);
}

/// <summary>One migration applied (up) or undone (down), with its steps in the order they run.</summary>
public sealed record PlannedMigration(RegisteredMigration Migration, Direction Direction, SchemaVersion From, SchemaVersion To, IReadOnlyList<PlannedStep> Steps)
{
    public SchemaVersion Version => Migration.Version;
}

/// <summary>The ordered migrations that take a database from one version to another.</summary>
public sealed record MigrationPlan(SchemaVersion From, SchemaVersion To, IReadOnlyList<PlannedMigration> Migrations)
{
    public Direction Direction => To >= From ? Direction.Up : Direction.Down;

    public bool IsEmpty => Migrations.Count == 0;

    public IReadOnlyList<string> Checksums => Migrations.Select(m => m.Migration.Checksum).ToList();

    /// <summary>The collections the plan's migrations ensure for the application: a rollback leaves them (see <see cref="Steps.EnsureCollectionStep"/>).</summary>
    public IReadOnlySet<string> ApplicationOwnedCollections => Migrations.SelectMany(m => m.Steps)
        .SelectMany(s => new[] { s.CatalogBefore, s.CatalogAfter }).SelectMany(c => c.Collections.Values)
        .Where(c => c.Owner == CollectionOwner.Application).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every index the plan's catalogs declare, by collection and name.</summary>
    public IReadOnlySet<(string Collection, string Index)> DeclaredIndexes => Migrations.SelectMany(m => m.Steps)
        .SelectMany(s => new[] { s.CatalogBefore, s.CatalogAfter }).SelectMany(c => c.Collections.Values)
        .SelectMany(c => c.Indexes.Keys.Select(index => (c.Name, index))).ToHashSet();

    /// <summary>Every collection a step of the plan creates, changes, reads or drops, in name order.</summary>
    public IReadOnlyList<string> TouchedCollections =>
        Migrations.SelectMany(m => m.Steps).SelectMany(s => s.Step.Touches).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
