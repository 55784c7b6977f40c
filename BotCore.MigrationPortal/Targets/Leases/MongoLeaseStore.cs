using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets.Leases;

/// <summary>
/// The lease as one document in the target database. Acquiring is one conditional upsert: it matches the
/// document only when the lease is expired or ours; when someone else holds it, the upsert tries to insert a
/// second document with the same <c>_id</c> and the unique <c>_id</c> index refuses it.
/// </summary>
public sealed class MongoLeaseStore(IMongoCollection<LeaseRecord> leases) : ILeaseStore
{
    private static readonly FilterDefinitionBuilder<LeaseRecord> Filter = Builders<LeaseRecord>.Filter;

    public async Task<bool> TryAcquireAsync(LeaseRecord wanted, DateTime now, CancellationToken cancellationToken)
    {
        var takeable = Filter.Eq(l => l.Id, LeaseRecord.DocumentId)
            & (Filter.Lte(l => l.ExpiresAt, now) | Filter.Eq(l => l.HolderId, wanted.HolderId));
        try
        {
            await leases.ReplaceOneAsync(takeable, wanted, new ReplaceOptions { IsUpsert = true }, cancellationToken);
            return true;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    }

    public async Task<bool> TryRenewAsync(string holderId, DateTime expiresAt, CancellationToken cancellationToken)
    {
        var result = await leases.UpdateOneAsync(
            Filter.Eq(l => l.Id, LeaseRecord.DocumentId) & Filter.Eq(l => l.HolderId, holderId),
            Builders<LeaseRecord>.Update.Set(l => l.ExpiresAt, expiresAt),
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public Task ReleaseAsync(string holderId, CancellationToken cancellationToken) =>
        leases.DeleteOneAsync(Filter.Eq(l => l.Id, LeaseRecord.DocumentId) & Filter.Eq(l => l.HolderId, holderId), cancellationToken);

    public async Task<LeaseRecord?> ReadAsync(CancellationToken cancellationToken) =>
        await leases.Find(Filter.Eq(l => l.Id, LeaseRecord.DocumentId)).FirstOrDefaultAsync(cancellationToken);
}
