using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Runs.Store;

/// <summary>
/// Runs in the portal database's "runs" collection; replacing is conditional on the revision. Every call to the driver goes
/// through <see cref="PortalStoreFailures"/>, so an outage reaches the page as one sentence.
/// </summary>
public sealed class MongoRunStore(PortalDatabase portal) : IRunStore
{
    public const string CollectionName = "runs";
    private static readonly FilterDefinitionBuilder<MigrationRun> Filter = Builders<MigrationRun>.Filter;
    private readonly IMongoCollection<MigrationRun> runs = Collection(portal);

    // The conventions must be in place before the driver maps the type for the first time.
    private static IMongoCollection<MigrationRun> Collection(PortalDatabase portal)
    {
        PortalBson.Register();
        return portal.Database.GetCollection<MigrationRun>(CollectionName);
    }

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardIndexesAsync(CollectionName, () =>
        runs.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Descending(r => r.CreatedAt), new CreateIndexOptions { Name = "created" }),
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.Target).Descending(r => r.CreatedAt),
                new CreateIndexOptions { Name = "target_created" }),
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.State).Descending(r => r.CreatedAt),
                new CreateIndexOptions { Name = "state_created" }),
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.Tier).Ascending(r => r.State),
                new CreateIndexOptions { Name = "tier_state" }),
            // At most one open run per target, kept by the server itself: two people creating runs at the same moment get one each only on different targets.
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.OpenOnTarget),
                new CreateIndexOptions<MigrationRun> { Name = OneOpenRunPerTarget, Unique = true, PartialFilterExpression = IsOpen }),
        ], cancellationToken));

    public const string OneOpenRunPerTarget = "one_open_run_per_target";

    // The partial filter of OneOpenRunPerTarget: a query that contains it may use that index, which holds exactly the open runs.
    private static readonly FilterDefinition<MigrationRun> IsOpen = Filter.Type(r => r.OpenOnTarget, BsonType.String);

    public Task<MigrationRun?> TryInsertAsync(MigrationRun run, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        try
        {
            await runs.InsertOneAsync(run, cancellationToken: cancellationToken);
            return null;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey && e.WriteError.Message.Contains(OneOpenRunPerTarget, StringComparison.Ordinal))
        {
            return await runs.Find(Filter.Eq(r => r.OpenOnTarget, run.OpenOnTarget)).FirstOrDefaultAsync(cancellationToken)
                // Closed in the meantime: the person may simply try again.
                ?? throw new ActionRefusedException($"Another run on {run.Target} was open a moment ago; nothing was created. Try again.");
        }
    });

    public Task<MigrationRun?> FindAsync(string id, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (MigrationRun?)await runs.Find(Filter.Eq(r => r.Id, id)).FirstOrDefaultAsync(cancellationToken));

    public Task<bool> TryReplaceAsync(MigrationRun run, long expectedRevision, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        var result = await runs.ReplaceOneAsync(Filter.Eq(r => r.Id, run.Id) & Filter.Eq(r => r.Revision, expectedRevision), run,
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    });

    public Task<RunPage> QueryAsync(RunQuery query, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        var filter = Filter.Empty;
        if (query.Target is not null) filter &= Filter.Eq(r => r.Target, query.Target);
        if (query.State is { } state) filter &= Filter.Eq(r => r.State, state);
        var total = await runs.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        var page = await runs.Find(filter).SortByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(query.Page * query.PageSize).Limit(query.PageSize).ToListAsync(cancellationToken);
        return new RunPage(page, total);
    });

    public Task<IReadOnlyList<MigrationRun>> SucceededOnTierAsync(TargetTier tier, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (IReadOnlyList<MigrationRun>)await runs.Find(Filter.Eq(r => r.Tier, tier) & Filter.Eq(r => r.State, RunState.Succeeded)).ToListAsync(cancellationToken));

    public Task<MigrationRun?> LatestForTargetAsync(string target, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (MigrationRun?)await runs.Find(Filter.Eq(r => r.Target, target)).SortByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken));

    /// <summary>Read through <see cref="OneOpenRunPerTarget"/>: the query is that index's partial filter, so the index holds the answer.</summary>
    public Task<IReadOnlyList<MigrationRun>> OpenAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (IReadOnlyList<MigrationRun>)await runs.Find(IsOpen).ToListAsync(cancellationToken));
}
