using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// What a check runs against: the target, the plan, the migrations of this build, the live catalog read once when the
/// checks started (which collections exist, with which indexes), and the document counts taken before a run.
/// </summary>
/// <param name="Before">The counts taken before the run; null before a run and on demand.</param>
internal sealed record CheckContext(IMigrationTarget Target, MigrationPlan Plan, MigrationRegistry Registry, SchemaCatalog Live, CollectionCounts? Before)
{
    /// <summary>The database to read documents from; null for a simulated target, which holds none.</summary>
    public IMongoDatabase? Database => DatabaseOf(Target);

    public bool Exists(string collection) => Live.Find(collection) is not null;

    public static IMongoDatabase? DatabaseOf(IMigrationTarget target) => (target as MongoMigrationTarget)?.Database;
}
