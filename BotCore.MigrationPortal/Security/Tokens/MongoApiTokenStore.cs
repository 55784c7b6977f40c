using BotCore.MigrationPortal.Hosting;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>
/// The API tokens in the portal store's <c>api_tokens</c> collection: the public id as <c>_id</c>, a unique index on the hash
/// (every request finds its token by it, and two tokens can never share one), and one on the owner for the tokens page.
/// Every call to the driver goes through <see cref="PortalStoreFailures"/>.
/// </summary>
public sealed class MongoApiTokenStore : IApiTokenStore
{
    public const string CollectionName = "api_tokens";

    private static readonly FilterDefinitionBuilder<ApiToken> Filter = Builders<ApiToken>.Filter;
    private static readonly UpdateDefinitionBuilder<ApiToken> Update = Builders<ApiToken>.Update;

    private readonly IMongoCollection<ApiToken> tokens;

    public MongoApiTokenStore(PortalDatabase database)
    {
        PortalBson.Register();
        tokens = database.Database.GetCollection<ApiToken>(CollectionName);
    }

    /// <summary>The indexes, as the portal creates them at start (createIndexes is idempotent).</summary>
    public static IReadOnlyList<CreateIndexModel<ApiToken>> Indexes { get; } =
    [
        new(Builders<ApiToken>.IndexKeys.Ascending(t => t.Hash), new CreateIndexOptions { Name = "hash_unique", Unique = true }),
        new(Builders<ApiToken>.IndexKeys.Ascending(t => t.Owner).Descending(t => t.CreatedAt), new CreateIndexOptions { Name = "owner_created" }),
    ];

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardIndexesAsync(CollectionName, () =>
        tokens.Indexes.CreateManyAsync(Indexes, cancellationToken));

    /// <exception cref="InvalidOperationException">A token with this id or secret exists already (as the in-memory store says it).</exception>
    public Task InsertAsync(ApiToken token, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        try
        {
            await tokens.InsertOneAsync(token, cancellationToken: cancellationToken);
        }
        catch (MongoWriteException e) when (e.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            throw new InvalidOperationException($"Token {token.Id} exists already.", e);
        }
    });

    public Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (ApiToken?)await tokens.Find(Filter.Eq(t => t.Id, id)).FirstOrDefaultAsync(cancellationToken));

    public Task<ApiToken?> FindByHashAsync(string hash, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (ApiToken?)await tokens.Find(Filter.Eq(t => t.Hash, hash)).FirstOrDefaultAsync(cancellationToken));

    public Task<IReadOnlyList<ApiToken>> ListForOwnerAsync(string owner, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (IReadOnlyList<ApiToken>)await tokens.Find(Filter.Eq(t => t.Owner, owner)).SortByDescending(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken));

    public Task<bool> TryRevokeAsync(string id, string by, DateTime at, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (await tokens.UpdateOneAsync(Filter.Eq(t => t.Id, id) & Filter.Eq(t => t.RevokedAt, null),
            Update.Set(t => t.RevokedAt, at).Set(t => t.RevokedBy, by), cancellationToken: cancellationToken)).ModifiedCount == 1);

    public Task<bool> TryRecordUseAsync(string id, DateTime at, string client, DateTime notSince, CancellationToken cancellationToken) =>
        PortalStoreFailures.GuardAsync(async () =>
            (await tokens.UpdateOneAsync(RecordableUse(id, notSince), Update.Set(t => t.LastUsedAt, at).Set(t => t.LastUsedFrom, client),
                cancellationToken: cancellationToken)).ModifiedCount == 1);

    /// <summary>The token, unless a use was recorded after <paramref name="notSince"/> (a missing or null field matches <c>null</c>).</summary>
    public static FilterDefinition<ApiToken> RecordableUse(string id, DateTime notSince) =>
        Filter.Eq(t => t.Id, id) & (Filter.Eq(t => t.LastUsedAt, null) | Filter.Lte(t => t.LastUsedAt, notSince));
}
