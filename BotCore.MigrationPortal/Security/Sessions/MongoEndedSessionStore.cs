using BotCore.MigrationPortal.Hosting;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Security.Sessions;

/// <summary>
/// Ended sessions in the portal store's <c>ended_sessions</c> collection, shared by every portal instance; a TTL index
/// removes each once its cookie could no longer be valid.
/// </summary>
public sealed class MongoEndedSessionStore : IEndedSessionStore
{
    public const string CollectionName = "ended_sessions";

    private readonly IMongoCollection<EndedSession> sessions;

    public MongoEndedSessionStore(PortalDatabase database)
    {
        PortalBson.Register();
        sessions = database.Database.GetCollection<EndedSession>(CollectionName);
    }

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardIndexesAsync(CollectionName, () =>
        sessions.Indexes.CreateOneAsync(new CreateIndexModel<EndedSession>(Builders<EndedSession>.IndexKeys.Ascending(s => s.KeepUntil),
            new CreateIndexOptions { Name = "keep_until_ttl", ExpireAfter = TimeSpan.Zero }), cancellationToken: cancellationToken));

    public Task EndAsync(string sessionId, string user, DateTime keepUntil, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(() =>
        sessions.ReplaceOneAsync(Builders<EndedSession>.Filter.Eq(s => s.Id, sessionId), new EndedSession(sessionId, user, keepUntil),
            new ReplaceOptions { IsUpsert = true }, cancellationToken));

    public Task<bool> IsEndedAsync(string sessionId, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(() =>
        sessions.Find(Builders<EndedSession>.Filter.Eq(s => s.Id, sessionId)).AnyAsync(cancellationToken));

    public sealed record EndedSession([property: BsonId] string Id, string User, DateTime KeepUntil);
}
