using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// What a simulated brownfield target starts as: Bot Core's database as the spec's JavaScript scripts and the application left it,
/// never touched by the portal. The scripts create exactly the collections the migrations own (the migrations follow them); the
/// application created its own: portfolio_history and positions (which the spec's lists of changes for 1.1.0 and 1.0.0 name but no
/// script creates) and portfolio_snapshots, with an index of its own. The 1.0.0 script inserts its version document each time it
/// runs to its end and the later scripts update the first one, so a second run of 1.0.0 leaves two documents, one of them stale;
/// both say updated_by "migration" (the insert's, which no later script changes). (On MongoDB 7.0 a second run reaches its insert
/// only where market_data was dropped meanwhile: 7.0 refuses an identical create of a time-series collection with NamespaceExists,
/// SERVER-76547 lifted that in 7.1.) There is no changelog.
/// </summary>
public static class SpecScriptsDatabase
{
    public const string ApplicationCollection = "portfolio_snapshots";
    public const string ApplicationIndex = "idx_portfolio_snapshots_user_time";

    /// <summary>The application's collections that it created itself, without options or indexes.</summary>
    public static readonly IReadOnlyList<string> PlainApplicationCollections = ["portfolio_history", "positions"];

    public static SchemaCatalog Collections(MigrationRegistry registry, SchemaVersion version) =>
        registry.ExpectedCatalogAt(version).Collections.Values
            .Where(collection => collection.Owner == CollectionOwner.Migrations)
            .Concat(PlainApplicationCollections.Select(CollectionDefinition.Plain))
            .Append(CollectionDefinition.Plain(ApplicationCollection).WithIndex(new IndexDefinition(ApplicationIndex, BsonDocument.Parse("{ user_id: 1, timestamp: -1 }"))))
            .Aggregate(SchemaCatalog.Empty, (catalog, collection) => catalog.With(collection));

    /// <summary>What the 1.0.0 script's insert writes in updated_by.</summary>
    public const string ScriptsUpdatedBy = "migration";

    /// <summary>The version documents the scripts leave: the one they kept updating, and a stale one from a second run of 1.0.0.</summary>
    public static IReadOnlyList<VersionDocument> VersionDocuments(SchemaVersion version) =>
    [
        new("65f000000000000000000001", version.ToString(), new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), ScriptsUpdatedBy),
        new("65f000000000000000000002", "1.0.0", new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc), ScriptsUpdatedBy),
    ];
}
