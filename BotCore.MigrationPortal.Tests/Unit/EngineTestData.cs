using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>The migrations of this build, and small builders for catalogs, indexes and changelog entries.</summary>
internal static class EngineTestData
{
    public static MigrationRegistry Registry { get; } = MigrationRegistry.FromAssembly(typeof(Migration).Assembly);

    public static readonly string[] Versions = ["1.0.0", "1.1.0", "1.2.0", "1.3.0"];

    public static SchemaVersion V(string text) => SchemaVersion.Parse(text);

    public static SchemaCatalog ExpectedAt(string version) => Registry.ExpectedCatalogAt(V(version));

    public static RegisteredMigration MigrationAt(string version) => Registry.Find(V(version)) ?? throw new InvalidOperationException(version);

    public static IndexDefinition Index(string name, string key, bool unique = false, long? ttl = null) =>
        new(name, BsonDocument.Parse(key), unique, ttl);

    public static CollectionDefinition Collection(string name, string? validator = null, params IndexDefinition[] indexes) =>
        indexes.Aggregate(
            new CollectionDefinition(name, CollectionType.Collection, validator is null ? CollectionOptions.None : new CollectionOptions(BsonDocument.Parse(validator))),
            (collection, index) => collection.WithIndex(index));

    public static CollectionDefinition TimeSeries(string name, string timeField, string? metaField, string granularity, long? expireAfterSeconds) =>
        new(name, CollectionType.TimeSeries, new CollectionOptions(null, timeSeries: new TimeSeriesDefinition(timeField, metaField, granularity),
            expireAfterSeconds: expireAfterSeconds));

    public static SchemaCatalog Catalog(params CollectionDefinition[] collections) => SchemaCatalog.Of(SchemaVersion.Zero, collections);

    public static ChangelogEntry Entry(string version, string direction, string status, string? checksum = null, string? error = null) => new()
    {
        Version = version,
        Description = $"migration {version}",
        Checksum = checksum ?? MigrationAt(version).Checksum,
        Direction = direction,
        Status = status,
        RunId = $"run-{version}-{direction}-{status}",
        AppliedBy = "dba@test",
        StartedAt = new DateTime(2025, 10, 1, 12, 0, 0, DateTimeKind.Utc),
        FinishedAt = new DateTime(2025, 10, 1, 12, 0, 1, DateTimeKind.Utc),
        DurationMs = 1000,
        Error = error,
    };

    public static TargetHistory History(string applied, params ChangelogEntry[] changelog) => new(V(applied), null, null, changelog);

    /// <summary>The repository root: the first folder above the test binaries that holds BotCore.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BotCore.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds BotCore.sln.");
    }
}
