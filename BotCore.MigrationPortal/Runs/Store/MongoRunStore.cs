using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Targets;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Runs.Store;

/// <summary>Runs in the portal database's "runs" collection; replacing is conditional on the revision.</summary>
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

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        runs.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Descending(r => r.CreatedAt), new CreateIndexOptions { Name = "created" }),
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.Target).Descending(r => r.CreatedAt),
                new CreateIndexOptions { Name = "target_created" }),
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.State).Descending(r => r.CreatedAt),
                new CreateIndexOptions { Name = "state_created" }),
            new CreateIndexModel<MigrationRun>(Builders<MigrationRun>.IndexKeys.Ascending(r => r.Tier).Ascending(r => r.State),
                new CreateIndexOptions { Name = "tier_state" }),
        ], cancellationToken);

    public Task InsertAsync(MigrationRun run, CancellationToken cancellationToken) => runs.InsertOneAsync(run, cancellationToken: cancellationToken);

    public async Task<MigrationRun?> FindAsync(string id, CancellationToken cancellationToken) =>
        await runs.Find(Filter.Eq(r => r.Id, id)).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> TryReplaceAsync(MigrationRun run, long expectedRevision, CancellationToken cancellationToken)
    {
        var result = await runs.ReplaceOneAsync(Filter.Eq(r => r.Id, run.Id) & Filter.Eq(r => r.Revision, expectedRevision), run,
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task<RunPage> QueryAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var filter = Filter.Empty;
        if (query.Target is not null) filter &= Filter.Eq(r => r.Target, query.Target);
        if (query.State is { } state) filter &= Filter.Eq(r => r.State, state);
        var total = await runs.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        var page = await runs.Find(filter).SortByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(query.Page * query.PageSize).Limit(query.PageSize).ToListAsync(cancellationToken);
        return new RunPage(page, total);
    }

    public async Task<IReadOnlyList<MigrationRun>> SucceededOnTierAsync(TargetTier tier, CancellationToken cancellationToken) =>
        await runs.Find(Filter.Eq(r => r.Tier, tier) & Filter.Eq(r => r.State, RunState.Succeeded)).ToListAsync(cancellationToken);

    public async Task<MigrationRun?> LatestForTargetAsync(string target, CancellationToken cancellationToken) =>
        await runs.Find(Filter.Eq(r => r.Target, target)).SortByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
}
