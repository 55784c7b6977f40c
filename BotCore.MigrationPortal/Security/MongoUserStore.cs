using BotCore.MigrationPortal.Hosting;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// The users in the portal store's <c>users</c> collection. The id is the lower-case name, so MongoDB itself keeps
/// names unique regardless of case. Every call to the driver goes through <see cref="PortalStoreFailures"/>.
/// </summary>
public sealed class MongoUserStore : IUserStore
{
    public const string CollectionName = "users";

    private static readonly FilterDefinitionBuilder<PortalUser> Filter = Builders<PortalUser>.Filter;
    private static readonly UpdateDefinitionBuilder<PortalUser> Update = Builders<PortalUser>.Update;

    private readonly IMongoCollection<PortalUser> users;

    public MongoUserStore(PortalDatabase database)
    {
        // The conventions must be in place before the driver first maps PortalUser (the CLI has no PortalHost).
        PortalBson.Register();
        users = database.Database.GetCollection<PortalUser>(CollectionName);
    }

    public Task<PortalUser?> FindAsync(string name, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (PortalUser?)await users.Find(ById(name)).FirstOrDefaultAsync(cancellationToken));

    public Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (IReadOnlyList<PortalUser>)await users.Find(Filter.Empty).SortBy(u => u.Id).ToListAsync(cancellationToken));

    public Task<bool> TryInsertAsync(PortalUser user, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        try
        {
            await users.InsertOneAsync(user, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    });

    public Task ReplaceAsync(PortalUser user, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(() =>
        users.ReplaceOneAsync(ById(user.Name), user, cancellationToken: cancellationToken));

    public Task<PortalUser?> RecordFailedSignInAsync(string name, string client, DateTime at, LockoutPolicy lockout, CancellationToken cancellationToken) =>
        PortalStoreFailures.GuardAsync(async () =>
    {
        await users.UpdateOneAsync(ById(name) & Filter.Lte(u => u.LockedUntil, at),
            Update.Set(u => u.FailedAttempts, 0).Set(u => u.LockedUntil, null).Set(u => u.FailingClients, []), cancellationToken: cancellationToken);
        // One update counts the failure and remembers the address, so that parallel guesses lose neither; as in LockoutPolicy,
        // an address is remembered once and a full list evicts none (the second update then only counts).
        var after = new FindOneAndUpdateOptions<PortalUser> { ReturnDocument = ReturnDocument.After };
        var counted = await users.FindOneAndUpdateAsync(ById(name) & HasRoomForAnotherClient, CountFailureFrom(client), after, cancellationToken)
            ?? await users.FindOneAndUpdateAsync(ById(name), Update.Inc(u => u.FailedAttempts, 1), after, cancellationToken);
        if (counted is null || counted.FailedAttempts < lockout.MaxFailedAttempts || LockoutPolicy.IsLocked(counted, at)) return counted;

        var lockedUntil = at + lockout.Duration;
        var notLocked = Filter.Eq(u => u.LockedUntil, null) | Filter.Lte(u => u.LockedUntil, at);
        await users.UpdateOneAsync(ById(name) & notLocked, Update.Set(u => u.LockedUntil, lockedUntil), cancellationToken: cancellationToken);
        return await FindAsync(name, cancellationToken);
    });

    public Task ClearFailedSignInsAsync(string name, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(() =>
        users.UpdateOneAsync(ById(name), Update.Set(u => u.FailedAttempts, 0).Set(u => u.LockedUntil, null).Set(u => u.FailingClients, []),
            cancellationToken: cancellationToken));

    public Task RotateSecurityStampAsync(string name, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(() =>
        users.UpdateOneAsync(ById(name), Update.Set(u => u.SecurityStamp, PortalUser.NewSecurityStamp()), cancellationToken: cancellationToken));

    /// <summary>Fewer failing addresses than <see cref="LockoutPolicy.RememberedClients"/>: the last place is still empty.</summary>
    /// <remarks>By name: the driver cannot translate an index into an IReadOnlyList (the name is PortalBson's camelCase).</remarks>
    public static FilterDefinition<PortalUser> HasRoomForAnotherClient { get; } =
        Filter.Exists($"failingClients.{LockoutPolicy.RememberedClients - 1}", exists: false);

    /// <summary>One more failure, and <paramref name="client"/> among the failing addresses unless it is there already.</summary>
    public static UpdateDefinition<PortalUser> CountFailureFrom(string client) => Update.Inc(u => u.FailedAttempts, 1).AddToSet(u => u.FailingClients, client);

    private static FilterDefinition<PortalUser> ById(string name) => Filter.Eq(u => u.Id, name.ToLowerInvariant());
}
