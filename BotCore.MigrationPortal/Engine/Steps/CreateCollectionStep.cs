using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Creates a collection the migrations own (validator, time-series options, expiry) and any indexes its definition lists.
/// Converges when it exists with the same options; refuses when it exists with other options. A collection the application
/// owns is ensured instead (<see cref="EnsureCollectionStep"/>): never dropped.
/// </summary>
public sealed record CreateCollectionStep(CollectionDefinition Collection) : IMigrationStep
{
    private const int NamespaceExists = 48;

    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [Collection.Name];

    public string Description => Collection.Type == CollectionType.TimeSeries
        ? $"create time-series collection {Collection.Name}"
        : $"create collection {Collection.Name}" + (Collection.Options.Validator is null ? "" : " with validator");

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        var existing = catalog.Find(Collection.Name);
        if (existing is null) return catalog.With(Collection);
        if (!existing.HasSameShapeAs(Collection))
        {
            throw new StepConflictException(
                $"Collection '{Collection.Name}' already exists with other options: expected " +
                $"{CatalogJson.Inline(CatalogJson.ToBson(Collection.Options))}, found {CatalogJson.Inline(CatalogJson.ToBson(existing.Options))}. " +
                "Make it match by hand (collMod) or drop it, then run again.");
        }
        return Collection.Indexes.Values.Aggregate(catalog, (c, index) => new CreateIndexStep(Collection.Name, index).Apply(c));
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new DropCollectionStep(Collection);

    public IMigrationStep Undo(SchemaCatalog before, StepOutcome? outcome) => new DropCollectionStep(Collection) { CreatedAs = outcome?.CreatedCollection };

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var outcome = await CreateAsync(context, cancellationToken);
        foreach (var index in Collection.Indexes.Values)
        {
            await new CreateIndexStep(Collection.Name, index).ExecuteAsync(context, cancellationToken);
        }
        return outcome;
    }

    /// <summary>
    /// Creates the collection when it is missing. "Created by this run" needs both: no such collection a moment before, and its
    /// UUID read right after, which is what a rollback drops and nothing else. A collection that was there already is not this
    /// run's to drop (the step then only adds the missing indexes). From MongoDB 7.0 on, a create that meets an identical
    /// collection succeeds without a word (SERVER-60064; for a time-series collection only from 7.1 on, SERVER-76547: 7.0 still
    /// answers NamespaceExists there), so one created by someone else between the look and the create cannot be told from
    /// ours; the UUID still keeps a rollback from dropping a collection created after ours under the same name.
    /// </summary>
    private async Task<StepOutcome> CreateAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(context.Database, cancellationToken))
        {
            return StepOutcome.AlreadyDone($"collection {Collection.Name} already existed (not created by this run): only missing indexes are created");
        }
        try
        {
            await context.Database.CreateCollectionAsync(Collection.Name, CreateOptions, cancellationToken);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceExists)
        {
            // Someone created it, with other options, between our look and our create: it is not ours to undo. Its indexes are
            // still created (idempotently), and the runner's check after the step compares its options.
            return StepOutcome.AlreadyDone($"collection {Collection.Name} was created by someone else at the same moment");
        }
        return StepOutcome.Done($"created collection {Collection.Name}") with
        {
            CreatedCollection = await MongoCollectionUuid.ReadAsync(context.Database, Collection, cancellationToken),
        };
    }

    private async Task<bool> ExistsAsync(IMongoDatabase database, CancellationToken cancellationToken) =>
        await (await database.ListCollectionNamesAsync(new ListCollectionNamesOptions { Filter = new BsonDocument("name", Collection.Name) }, cancellationToken))
            .AnyAsync(cancellationToken);

    /// <summary>The collection's options as the driver takes them: what the step executes with and what it shows.</summary>
    private CreateCollectionOptions<BsonDocument> CreateOptions
    {
        get
        {
            var options = Collection.Options;
            return new CreateCollectionOptions<BsonDocument>
            {
                Validator = options.Validator is null ? null : new BsonDocumentFilterDefinition<BsonDocument>(options.Validator),
                ValidationLevel = MongoValidation.Level(options.ValidationLevel),
                ValidationAction = MongoValidation.Action(options.ValidationAction),
                TimeSeriesOptions = options.TimeSeries is { } ts ? MongoTimeSeries.Options(ts) : null,
                ExpireAfter = options.ExpireAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
        }
    }

    /// <summary><c>db.createCollection(name, options)</c> with the options the step gives the driver, then each of its indexes.</summary>
    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var options = CreateOptions;
        var shown = new BsonDocument();
        if (options.Validator is { } validator) shown["validator"] = MongoshSyntax.Rendered(validator);
        if (options.ValidationLevel is { } level) shown["validationLevel"] = MongoshSyntax.Name(level);
        if (options.ValidationAction is { } action) shown["validationAction"] = MongoshSyntax.Name(action);
        if (options.TimeSeriesOptions is { } timeSeries) shown["timeseries"] = timeSeries.ToBsonDocument();
        if (options.ExpireAfter is { } expire) shown["expireAfterSeconds"] = MongoshSyntax.Seconds(expire);
        var create = MongoshStatements.Of(
            MongoshComment.Line($"only if {Collection.Name} does not exist yet; if it does, with the same options, only its missing indexes are created"),
            $"db.createCollection({MongoshSyntax.String(Collection.Name)}{(shown.ElementCount == 0 ? "" : $", {MongoshSyntax.Value(shown)}")});");
        return Collection.Indexes.Values.Aggregate(create, (statements, index) => statements.Then(new CreateIndexStep(Collection.Name, index).Mongosh(batching)));
    }
}
