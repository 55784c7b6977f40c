using System.Collections.Concurrent;
using System.Reflection;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Phases;

namespace BotCore.MigrationPortal.Engine;

/// <summary>The migrations of this build in version order, and the catalog each version should produce.</summary>
public sealed class MigrationRegistry
{
    private readonly ConcurrentDictionary<SchemaVersion, SchemaCatalog> expected = new();
    private readonly Lazy<IReadOnlySet<string>> managed;
    private readonly Lazy<IReadOnlySet<string>> applicationOwned;
    private readonly Lazy<IReadOnlySet<(string Collection, string Index)>> declaredIndexes;

    public MigrationRegistry(IEnumerable<RegisteredMigration> migrations)
    {
        Migrations = migrations.OrderBy(m => m.Version).ToList();
        var duplicate = Migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations declare version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.SourceFileName))}.");
        }
        if (Migrations.Any(m => m.Version == SchemaVersion.Zero))
        {
            throw new InvalidOperationException("No migration may declare version 0.0.0: it means \"nothing applied\".");
        }
        ExpandContractRules.Validate(Migrations);
        managed = new Lazy<IReadOnlySet<string>>(() =>
            Migrations.SelectMany(m => ExpectedCatalogAt(m.Version).Collections.Keys).ToHashSet(StringComparer.Ordinal));
        applicationOwned = new Lazy<IReadOnlySet<string>>(() => Migrations
            .SelectMany(m => ExpectedCatalogAt(m.Version).Collections.Values).Where(c => c.Owner == CollectionOwner.Application)
            .Select(c => c.Name).ToHashSet(StringComparer.Ordinal));
        declaredIndexes = new Lazy<IReadOnlySet<(string, string)>>(() => Migrations
            .SelectMany(m => ExpectedCatalogAt(m.Version).Collections.Values).SelectMany(c => c.Indexes.Keys.Select(index => (c.Name, index))).ToHashSet());
    }

    public IReadOnlyList<RegisteredMigration> Migrations { get; }

    public SchemaVersion Latest => Migrations.Count == 0 ? SchemaVersion.Zero : Migrations[^1].Version;

    /// <summary>The last version that is not a draft: where <c>up</c> without <c>--to</c> stops.</summary>
    public SchemaVersion LatestReleased => Migrations.LastOrDefault(m => !m.IsDraft)?.Version ?? SchemaVersion.Zero;

    /// <summary>Every concrete <see cref="Migration"/> in the assembly, with its embedded source.</summary>
    public static MigrationRegistry FromAssembly(Assembly assembly) =>
        new(assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract)
            .Select(t => (Migration)Activator.CreateInstance(t)!)
            .Select(m => RegisteredMigration.FromSource(m, MigrationChecksum.EmbeddedSource(assembly, m.SourceFileName)
                ?? throw new InvalidOperationException(
                    $"Migration {m.Version} ({m.GetType().Name}) has no embedded source '{m.SourceFileName}': keep migrations in migrations/."))));

    public bool IsKnown(SchemaVersion version) => version == SchemaVersion.Zero || Migrations.Any(m => m.Version == version);

    public RegisteredMigration? Find(SchemaVersion version) => Migrations.FirstOrDefault(m => m.Version == version);

    /// <exception cref="BadInputException">The version is not 0.0.0 and no migration of this build declares it.</exception>
    public void RequireKnown(SchemaVersion version, string role)
    {
        if (!IsKnown(version))
        {
            throw new BadInputException(
                $"Unknown {role} version {version}: this build knows 0.0.0 and {string.Join(", ", Migrations.Select(m => m.Version))}.");
        }
    }

    /// <summary>The versions a target at <paramref name="version"/> can be rolled back to, nearest first, 0.0.0 last.</summary>
    public IReadOnlyList<SchemaVersion> Below(SchemaVersion version) =>
        [.. Migrations.Where(m => m.Version < version).Select(m => m.Version).Reverse(), SchemaVersion.Zero];

    /// <summary>The version before <paramref name="version"/> in this build (0.0.0 before the first).</summary>
    public SchemaVersion Previous(SchemaVersion version) =>
        Migrations.LastOrDefault(m => m.Version < version)?.Version ?? SchemaVersion.Zero;

    /// <summary>The catalog a database should have at <paramref name="version"/>: the fold of every step up to it over an empty catalog.</summary>
    public SchemaCatalog ExpectedCatalogAt(SchemaVersion version)
    {
        RequireKnown(version, "schema");
        return expected.GetOrAdd(version, v => Migrations
            .Where(m => m.Version <= v)
            .SelectMany(m => m.Steps)
            .Aggregate(SchemaCatalog.Empty, (catalog, step) => step.Apply(catalog))
            .WithVersion(v));
    }

    /// <summary>Every collection a migration of this build creates or ensures.</summary>
    public IReadOnlySet<string> ManagedCollections => managed.Value;

    /// <summary>The collections some migration ensures for the application (<see cref="CollectionOwner.Application"/>).</summary>
    public IReadOnlySet<string> ApplicationOwnedCollections => applicationOwned.Value;

    /// <summary>Every index some migration of this build declares, by collection and name.</summary>
    public IReadOnlySet<(string Collection, string Index)> DeclaredIndexes => declaredIndexes.Value;
}
