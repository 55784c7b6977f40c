using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets.Leases;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>A MongoDB database that migrations run against, with its lease, checkpoints and changelog kept beside the data.</summary>
public sealed class MongoMigrationTarget : IMigrationTarget
{
    private const int Unauthorized = 13;

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

    public Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken) =>
        Guard(() => MongoCatalogReader.ReadAsync(database, cancellationToken));

    public Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        var document = await MongoCatalogReader.ReadVersionDocumentAsync(database, cancellationToken);
        var changelog = await Changelog.Find(FilterDefinition<ChangelogEntry>.Empty).SortBy(e => e.FinishedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        return new TargetHistory(MongoCatalogReader.VersionOf(document),
            document?.GetValue("updated_at", BsonNull.Value) is { IsValidDateTime: true } at ? at.ToUniversalTime() : null,
            document?.GetValue("updated_by", BsonNull.Value) is { IsString: true } by ? by.AsString : null,
            changelog);
    });

    public Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken) => Guard(() =>
        TargetLease.AcquireAsync(Name, new MongoLeaseStore(database.GetCollection<LeaseRecord>(TargetCollections.Lock)), holder, leaseOptions, time,
            loggers.CreateLogger<TargetLease>(), cancellationToken));

    public Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken)
    {
        var stepLogger = loggers.CreateLogger(step.GetType());
        var batches = new BatchProcessor(Checkpoints, execution.StepKey, execution.RunId, execution.Batching, execution.Reporter, time, stepLogger);
        return Guard(() => step.ExecuteAsync(new StepContext(database, batches, execution.Reporter, stepLogger, time), cancellationToken));
    }

    public Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken) =>
        Guard(() => Checkpoints.DeleteManyAsync(c => c.StepKey == stepKey, cancellationToken));

    public Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken) => Guard(async () =>
    {
        var versionFilter = new BsonDocument("key", MongoCatalogReader.VersionKey);
        if (version == SchemaVersion.Zero)
        {
            await SystemConfig.DeleteOneAsync(versionFilter, cancellationToken);
        }
        else
        {
            var now = time.GetUtcNow().UtcDateTime;
            var update = Builders<BsonDocument>.Update
                .Set("value", version.ToString())
                .Set("updated_by", entry.AppliedBy)
                .Set("updated_at", now)
                .SetOnInsert("category", "system")
                .SetOnInsert("description", "Current database schema version")
                .SetOnInsert("is_active", true)
                .SetOnInsert("created_at", now);
            await SystemConfig.UpdateOneAsync(versionFilter, update, new UpdateOptions { IsUpsert = true }, cancellationToken);
        }
        await Changelog.InsertOneAsync(entry, cancellationToken: cancellationToken);
    });

    public Task AppendChangelogAsync(ChangelogEntry entry, CancellationToken cancellationToken) =>
        Guard(() => Changelog.InsertOneAsync(entry, cancellationToken: cancellationToken));

    /// <summary>Turns "no server answered" and "credentials refused" into a message that says what to do.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            logger.LogInformation("Target {Target} at {Address} is unreachable: {Reason}", Name, Address, reason);
            throw new TargetUnreachableException(
                $"Target '{Name}' ({Address}) is unreachable: {reason}. Start MongoDB (docker compose up -d mongo) " +
                $"or fix Targets__{Name}__ConnectionString.", e);
        }
    }

    private async Task Guard(Func<Task> action) => await Guard(async () =>
    {
        await action();
        return true;
    });

    private static string? Unreachable(Exception e) => e switch
    {
        MongoAuthenticationException => "the server refused the credentials",
        MongoCommandException { Code: Unauthorized } command => $"the user lacks a privilege for this operation ({command.CodeName}: grant it, for example the dbAdmin and readWrite roles)",
        TimeoutException => "no server answered in time",
        // A cancelled operation can surface as a connection error; it is a cancellation, not an outage.
        MongoConnectionException { InnerException: OperationCanceledException } => null,
        MongoConnectionException => "the connection failed",
        _ => null,
    };
}
