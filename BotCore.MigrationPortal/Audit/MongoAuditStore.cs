using System.Runtime.CompilerServices;
using BotCore.MigrationPortal.Hosting;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Audit;

/// <summary>
/// The audit log in the portal store's <c>audit_log</c> collection. Several portal instances append at once: the
/// unique index on <c>sequence</c> lets exactly one of them take each number, so they still form one chain.
/// Every query is answered by an index (see <see cref="Indexes"/>); nothing loads the whole log. Every call to the driver goes
/// through <see cref="PortalStoreFailures"/>, so an outage reaches the page as one sentence.
/// </summary>
public sealed class MongoAuditStore : IAuditStore
{
    public const string CollectionName = "audit_log";

    private static readonly FilterDefinitionBuilder<AuditEntry> Filter = Builders<AuditEntry>.Filter;
    private static readonly SortDefinition<AuditEntry> NewestFirst = Builders<AuditEntry>.Sort.Descending(e => e.Sequence);
    private const int BatchSize = 1000;

    private readonly IMongoCollection<AuditEntry> entries;
    private readonly SemaphoreSlim indexGate = new(1, 1);
    private volatile bool indexesCreated;

    public MongoAuditStore(IMongoDatabase database)
    {
        // The class map of AuditEntry must see the portal's conventions (camelCase) before its first use.
        PortalBson.Register();
        entries = database.GetCollection<AuditEntry>(CollectionName);
    }

    /// <summary>
    /// The indexes each query needs: the unique sequence that orders the chain and makes concurrent appends safe,
    /// one per text filter (user, action, target, run) followed by sequence (so a filtered page comes sorted from the index), and time
    /// for date ranges.
    /// </summary>
    public static IReadOnlyList<CreateIndexModel<AuditEntry>> Indexes { get; } =
    [
        new(Builders<AuditEntry>.IndexKeys.Descending(e => e.Sequence), new CreateIndexOptions { Name = "sequence", Unique = true }),
        new(Builders<AuditEntry>.IndexKeys.Ascending(e => e.User).Descending(e => e.Sequence), new CreateIndexOptions { Name = "user_sequence" }),
        new(Builders<AuditEntry>.IndexKeys.Ascending(e => e.Action).Descending(e => e.Sequence), new CreateIndexOptions { Name = "action_sequence" }),
        new(Builders<AuditEntry>.IndexKeys.Ascending(e => e.Target).Descending(e => e.Sequence), new CreateIndexOptions { Name = "target_sequence" }),
        new(Builders<AuditEntry>.IndexKeys.Ascending(e => e.RunId).Descending(e => e.Sequence), new CreateIndexOptions { Name = "runId_sequence" }),
        new(Builders<AuditEntry>.IndexKeys.Descending(e => e.Time), new CreateIndexOptions { Name = "time" }),
    ];

    /// <summary>
    /// Creates the indexes once per process, before the first read or write: without the unique index two instances
    /// could both append the same sequence number and fork the chain. A failure is retried at the next call.
    /// </summary>
    public Task EnsureIndexesAsync(CancellationToken cancellationToken) => PortalStoreFailures.GuardAsync(async () =>
    {
        if (indexesCreated) return;
        await indexGate.WaitAsync(cancellationToken);
        try
        {
            if (indexesCreated) return;
            await PortalStoreFailures.GuardIndexesAsync(CollectionName, () => entries.Indexes.CreateManyAsync(Indexes, cancellationToken));
            indexesCreated = true;
        }
        finally
        {
            indexGate.Release();
        }
    });

    public async Task<AuditEntry?> LastAsync(CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        return await PortalStoreFailures.GuardAsync(async () =>
            (AuditEntry?)await entries.Find(Filter.Empty).Sort(NewestFirst).Limit(1).FirstOrDefaultAsync(cancellationToken));
    }

    public async Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        return await PortalStoreFailures.GuardAsync(async () =>
        {
            try
            {
                await entries.InsertOneAsync(entry, cancellationToken: cancellationToken);
                return true;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                return false;
            }
        });
    }

    public async Task<AuditPage> QueryAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        return await PortalStoreFailures.GuardAsync(async () =>
        {
            var matching = ToMongo(filter);
            var page = await entries.Find(matching).Sort(NewestFirst).Skip(skip).Limit(take).ToListAsync(cancellationToken);
            // Unfiltered, the collection's own count answers at once instead of counting 100,000 documents for every page.
            var total = filter.IsEmpty
                ? await entries.EstimatedDocumentCountAsync(cancellationToken: cancellationToken)
                : await entries.CountDocumentsAsync(matching, cancellationToken: cancellationToken);
            return new AuditPage(page, total);
        });
    }

    public async IAsyncEnumerable<AuditEntry> ReadFilteredAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        var newestFirst = entries.Find(ToMongo(filter), new FindOptions { BatchSize = BatchSize }).Sort(NewestFirst);
        await foreach (var entry in PortalStoreFailures.Guard(Stream(newestFirst, cancellationToken), cancellationToken))
        {
            yield return entry;
        }
    }

    public async IAsyncEnumerable<AuditEntry> ReadChainAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        var oldestFirst = entries.Find(Filter.Empty, new FindOptions { BatchSize = BatchSize }).Sort(Builders<AuditEntry>.Sort.Ascending(e => e.Sequence));
        await foreach (var entry in PortalStoreFailures.Guard(Stream(oldestFirst, cancellationToken), cancellationToken))
        {
            yield return entry;
        }
    }

    private static async IAsyncEnumerable<AuditEntry> Stream(IFindFluent<AuditEntry, AuditEntry> find, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await find.ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var entry in cursor.Current) yield return entry;
        }
    }

    /// <summary>
    /// <see cref="AuditFilter.Matches"/> as a MongoDB query: the user as <c>{user: {$regex: &lt;the text, escaped&gt;, $options: "i"}}</c>
    /// (a part of the name in any case; the escaping is <see cref="MongoLiteralPattern"/>'s, given to the driver as a
    /// BsonRegularExpression, never as a string it would parse), the actions as <c>{action: {$in: [...]}}</c>, target and run
    /// with equality, the days as a <c>time</c> range. An unanchored case-insensitive regex reads every key of the user index
    /// (not every document): fine for an audit log a person filters.
    /// </summary>
    internal static FilterDefinition<AuditEntry> ToMongo(AuditFilter filter)
    {
        var clauses = new List<FilterDefinition<AuditEntry>>();
        if (filter.User is { } user) clauses.Add(Filter.Regex(e => e.User, new BsonRegularExpression(MongoLiteralPattern.Of(user), "i")));
        if (filter.Actions.Count > 0) clauses.Add(Filter.In(e => e.Action, filter.Actions));
        if (filter.Target is { } target) clauses.Add(Filter.Eq(e => e.Target, target));
        if (filter.RunId is { } run) clauses.Add(Filter.Eq(e => e.RunId, run));
        if (filter.Since is { } since) clauses.Add(Filter.Gte(e => e.Time, since));
        if (filter.Before is { } before) clauses.Add(Filter.Lt(e => e.Time, before));
        return clauses.Count == 0 ? Filter.Empty : Filter.And(clauses);
    }
}
