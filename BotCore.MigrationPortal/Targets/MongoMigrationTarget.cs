using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Targets.Leases;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>A MongoDB database that migrations run against, with its lease, checkpoints and changelog kept beside the data.</summary>
public sealed class MongoMigrationTarget : IMigrationTarget
{
    private readonly IMongoDatabase database;
    private readonly LeaseOptions leaseOptions;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;

    public MongoMigrationTarget(string name, TargetOptions options, IMongoClient client, LeaseOptions leaseOptions, TimeProvider time, ILoggerFactory loggers)
    {
        Name = name;
        Tier = options.Tier;
        Address = ConnectionStringRedactor.Redact(options.ConnectionString, options.Database);
        database = client.GetDatabase(options.Database);
        this.leaseOptions = leaseOptions;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<MongoMigrationTarget>();
    }

    public string Name { get; }
    public TargetTier Tier { get; }
    public bool IsSandbox => false;
    public string Address { get; }

    /// <summary>The database itself, for checks and tests that read documents.</summary>
    public IMongoDatabase Database => database;

    private IMongoCollection<ChangelogEntry> Changelog => database.GetCollection<ChangelogEntry>(TargetCollections.Changelog);
    private IMongoCollection<BatchCheckpoint> Checkpoints => database.GetCollection<BatchCheckpoint>(TargetCollections.Checkpoints);
    private IMongoCollection<BsonDocument> SystemConfig => database.GetCollection<BsonDocument>(TargetCollections.SystemConfig);

    /// <summary><c>hello</c> needs no privilege (manual, hello); it is what the driver itself sends to learn a server's type.</summary>
    public Task<TargetTopology> ReadTopologyAsync(CancellationToken cancellationToken) => Guard(async () =>
        TargetTopologies.FromHello(await database.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1),
            cancellationToken: cancellationToken)));

    public Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken) =>
        Guard(() => MongoCatalogReader.ReadAsync(database, cancellationToken));

    public Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        var documents = await MongoCatalogReader.ReadVersionDocumentsAsync(database, cancellationToken);
        var version = VersionDocument.VersionOf(documents);
        var changelog = await Changelog.Find(FilterDefinition<ChangelogEntry>.Empty).SortBy(e => e.FinishedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        return new TargetHistory(version, documents.SingleOrDefault()?.UpdatedAt, documents.SingleOrDefault()?.UpdatedBy, changelog);
    });

    public Task<AdoptionSnapshot> ReadForAdoptionAsync(CancellationToken cancellationToken) => Guard(async () =>
        new AdoptionSnapshot(
            await MongoCatalogReader.ReadCollectionsAsync(database, cancellationToken),
            await MongoCatalogReader.ReadVersionDocumentsAsync(database, cancellationToken),
            (int)await Changelog.CountDocumentsAsync(FilterDefinition<ChangelogEntry>.Empty, cancellationToken: cancellationToken)));

    /// <remarks>
    /// Ordered so that a crash or a lost reply at any point leaves a database that is either adopted or can be adopted again: until
    /// the changelog entries are written it still reads as not adopted (several version documents, or one without a changelog), and
    /// a second adoption keeps the document this one set (it says the version and was updated last). The entries go last, in one
    /// insert command: they are what says "adopted".
    /// </remarks>
    public Task AdoptAsync(SchemaVersion version, string? keep, IReadOnlyList<ChangelogEntry> entries, string adoptedBy, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            var isVersionDocument = Builders<BsonDocument>.Filter.Eq("key", VersionDocument.Key);
            var ids = (await SystemConfig.Find(isVersionDocument).Project(Builders<BsonDocument>.Projection.Include("_id")).ToListAsync(cancellationToken))
                .Select(document => document["_id"]).ToList();
            // The _id as stored (an ObjectId in the spec's documents), never its text: a filter on the text would match nothing.
            var kept = ids.FirstOrDefault(id => MongoCatalogReader.IdText(id) == keep) ?? ObjectId.GenerateNewId();
            // An upsert on the kept _id: the document is there afterwards even if someone deleted it since the comparison.
            await SystemConfig.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", kept) & isVersionDocument,
                VersionDocumentWrite.SetVersion(version, adoptedBy, time.GetUtcNow().UtcDateTime), new UpdateOptions { IsUpsert = true }, cancellationToken);
            var others = ids.Where(id => id != kept).ToList();
            if (others.Count > 0) await SystemConfig.DeleteManyAsync(Builders<BsonDocument>.Filter.In("_id", others) & isVersionDocument, cancellationToken);
            if (entries.Count > 0) await Changelog.InsertManyAsync(entries, cancellationToken: cancellationToken);
        });

    public Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken) => Guard(() =>
        TargetLease.AcquireAsync(Name, new MongoLeaseStore(database.GetCollection<LeaseRecord>(TargetCollections.Lock)), holder, leaseOptions, time,
            loggers.CreateLogger<TargetLease>(), cancellationToken));

    public Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken)
    {
        var stepLogger = loggers.CreateLogger(step.GetType());
        var batches = new BatchProcessor(Checkpoints, execution.StepKey, execution.RunId, execution.Batching, execution.Reporter, time, stepLogger,
            // A person's pause holds data steps only: a schema step that copies in batches (a shadow rebuild) holds a change stream
            // and the collection's write pause, which must not wait on a person.
            execution.InTransactions ? database.Client : null, step.Kind == StepKind.Data ? execution.BetweenBatches : null);
        return Guard(() => step.ExecuteAsync(new StepContext(database, batches, execution.Reporter, stepLogger, time), cancellationToken));
    }

    public Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken) =>
        Guard(() => Checkpoints.DeleteManyAsync(c => c.StepKey == stepKey, cancellationToken));

    public Task<long> ReadCheckpointedWritesAsync(string stepKey, string pass, CancellationToken cancellationToken) => Guard(async () =>
    {
        var id = BatchProcessor.CheckpointId(stepKey, pass);
        return (await Checkpoints.Find(c => c.Id == id).FirstOrDefaultAsync(cancellationToken))?.Written ?? 0;
    });

    public Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken) => Guard(async () =>
    {
        var versionFilter = new BsonDocument("key", VersionDocument.Key);
        if (version == SchemaVersion.Zero)
        {
            await SystemConfig.DeleteOneAsync(versionFilter, cancellationToken);
        }
        else
        {
            await SystemConfig.UpdateOneAsync(versionFilter, VersionDocumentWrite.SetVersion(version, entry.AppliedBy, time.GetUtcNow().UtcDateTime),
                new UpdateOptions { IsUpsert = true }, cancellationToken);
        }
        await Changelog.InsertOneAsync(entry, cancellationToken: cancellationToken);
    });

    public Task AppendChangelogAsync(ChangelogEntry entry, CancellationToken cancellationToken) =>
        Guard(() => Changelog.InsertOneAsync(entry, cancellationToken: cancellationToken));

    private IMongoCollection<FixJournalEntry> FixJournal => database.GetCollection<FixJournalEntry>(TargetCollections.FixJournal);

    public Task<IReadOnlyList<FixJournalEntry>> ReadFixJournalAsync(CancellationToken cancellationToken) => Guard<IReadOnlyList<FixJournalEntry>>(async () =>
        await FixJournal.Find(FilterDefinition<FixJournalEntry>.Empty).SortBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken));

    public Task AppendFixJournalAsync(FixJournalEntry entry, CancellationToken cancellationToken) =>
        Guard(() => FixJournal.InsertOneAsync(entry, cancellationToken: cancellationToken));

    // countDocuments counts exactly (an aggregation over the filter), unlike the collection's estimated count.
    public Task<long> CountNeedingFixAsync(DataFix fix, CancellationToken cancellationToken) => Guard(() =>
        database.GetCollection<BsonDocument>(fix.Collection).CountDocumentsAsync(fix.Pending, cancellationToken: cancellationToken));

    public Task<long> CountFixUndoRecordsAsync(string fixId, CancellationToken cancellationToken) => Guard(() =>
        database.GetCollection<BsonDocument>(TargetCollections.FixUndo).CountDocumentsAsync(FixUndoRecords.Of(fixId), cancellationToken: cancellationToken));

    /// <summary>Turns "no server answered", "credentials refused" and "privilege missing" into a message that says what to do.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (MongoFailures.Classify(e) is { } failure)
        {
            logger.LogInformation("Target {Target} at {Address} could not be used: {Reason}", Name, Address, failure.Reason);
            var message = $"Target '{Name}' ({Address}) {(failure.Kind == MongoFailureKind.Privilege ? "refused the operation" : "is unreachable")}: " +
                $"{failure.Reason}. {failure.Advice(Name)}";
            throw failure.Kind == MongoFailureKind.Privilege ? new TargetPrivilegeException(message, e) : new TargetUnreachableException(message, e);
        }
    }

    private async Task Guard(Func<Task> action) => await Guard(async () =>
    {
        await action();
        return true;
    });
}
