using BotCore.MigrationPortal.Hosting;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// The channels in the portal store's <c>notification_channels</c> collection (a unique index on the name, compared case-insensitively
/// through a collation) and the deliveries in <c>notification_deliveries</c> (an index on the run for the run page). Every call to the
/// driver goes through <see cref="PortalStoreFailures"/>.
/// </summary>
public sealed class MongoNotificationStore : INotificationStore
{
    public const string ChannelsCollection = "notification_channels";
    public const string DeliveriesCollection = "notification_deliveries";

    private static readonly Collation CaseInsensitive = new("en", strength: CollationStrength.Secondary);

    private readonly IMongoCollection<NotificationChannel> channels;
    private readonly IMongoCollection<NotificationDelivery> deliveries;

    public MongoNotificationStore(PortalDatabase database)
    {
        PortalBson.Register();
        channels = database.Database.GetCollection<NotificationChannel>(ChannelsCollection);
        deliveries = database.Database.GetCollection<NotificationDelivery>(DeliveriesCollection);
    }

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        await PortalStoreFailures.GuardIndexesAsync(ChannelsCollection, () => channels.Indexes.CreateOneAsync(new CreateIndexModel<NotificationChannel>(
            Builders<NotificationChannel>.IndexKeys.Ascending(c => c.Name), new CreateIndexOptions { Name = "name_unique", Unique = true, Collation = CaseInsensitive }),
            cancellationToken: cancellationToken));
        // With _id, the run's deliveries come sorted (createdAt, _id) from the index itself, without a sort in memory.
        await PortalStoreFailures.GuardIndexesAsync(DeliveriesCollection, () => deliveries.Indexes.CreateOneAsync(new CreateIndexModel<NotificationDelivery>(
            Builders<NotificationDelivery>.IndexKeys.Ascending(d => d.Event.RunId).Ascending(d => d.CreatedAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "run_created_id" }), cancellationToken: cancellationToken));
    }

    public Task<IReadOnlyList<NotificationChannel>> ListChannelsAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (IReadOnlyList<NotificationChannel>)await channels.Find(FilterDefinition<NotificationChannel>.Empty, new FindOptions { Collation = CaseInsensitive })
            .SortBy(c => c.Name).ToListAsync(cancellationToken));

    public Task<NotificationChannel?> FindChannelAsync(string id, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (NotificationChannel?)await channels.Find(c => c.Id == id).FirstOrDefaultAsync(cancellationToken));

    public Task<bool> TryInsertChannelAsync(NotificationChannel channel, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        try
        {
            await channels.InsertOneAsync(channel, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    });

    /// <exception cref="Security.ConflictRefusalException">The channel was renamed to another's name (the unique index ignores case).</exception>
    public Task<bool> TryReplaceChannelAsync(NotificationChannel channel, long expectedRevision, CancellationToken cancellationToken) =>
        PortalStoreFailures.GuardAsync(async () =>
        {
            try
            {
                return (await channels.ReplaceOneAsync(c => c.Id == channel.Id && c.Revision == expectedRevision, channel, cancellationToken: cancellationToken))
                    .ModifiedCount == 1;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                throw NotificationRules.NameTaken(channel.Name);
            }
        });

    public Task InsertDeliveryAsync(NotificationDelivery delivery, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        await deliveries.InsertOneAsync(delivery, cancellationToken: cancellationToken);
        return true;
    });

    public Task ReplaceDeliveryAsync(NotificationDelivery delivery, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        await deliveries.ReplaceOneAsync(d => d.Id == delivery.Id, delivery, cancellationToken: cancellationToken));

    public Task<NotificationDelivery?> FindDeliveryAsync(string id, CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
        (NotificationDelivery?)await deliveries.Find(d => d.Id == id).FirstOrDefaultAsync(cancellationToken));

    public Task<IReadOnlyList<NotificationDelivery>> ListDeliveriesForRunAsync(string runId, CancellationToken cancellationToken) =>
        PortalStoreFailures.GuardAsync(async () =>
            (IReadOnlyList<NotificationDelivery>)await deliveries.Find(d => d.Event.RunId == runId).SortBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken));
}
