using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Makes sure a collection of the application's exists, so that the migration can add to it what it needs: creates a plain
/// collection when it is missing, and otherwise leaves it as the application made it (options, indexes, documents). Its
/// rollback leaves the collection in place, as the spec's downs do: what the application wrote there is never dropped.
/// </summary>
public sealed record EnsureCollectionStep(string Name) : IMigrationStep
{
    private const int NamespaceExists = 48;

    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [Name];

    public string Description => $"ensure collection {Name} exists (the application's: never dropped)";

    public SchemaCatalog Apply(SchemaCatalog catalog) =>
        catalog.With((catalog.Find(Name) ?? CollectionDefinition.Plain(Name)) with { Owner = CollectionOwner.Application });

    public IMigrationStep Inverse(SchemaCatalog before) => new LeaveCollectionStep(Name);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (await TypeAsync(context.Database, cancellationToken) is { } type) return Existing(type, "exists");
        try
        {
            await context.Database.CreateCollectionAsync(Name, cancellationToken: cancellationToken);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceExists)
        {
            // The application created it at the same moment, with options of its own: that is its right. (Without options MongoDB 7.0
            // answers ok instead, as for any create of an identical collection, and the step says it created it: no rollback drops it.)
            return Existing(await TypeAsync(context.Database, cancellationToken) ?? "collection", "was created by the application at the same moment");
        }
        return StepOutcome.Done($"created collection {Name} for the application (never dropped by a rollback)");
    }

    public MongoshStatements Mongosh(BatchOptions batching) => MongoshStatements.Of(
        MongoshComment.Line($"only if {Name} does not exist yet; if it does, it is left as the application made it (a view is refused)"),
        $"db.createCollection({MongoshSyntax.String(Name)});");

    /// <summary>
    /// What <c>listCollections</c> says the name is ("collection", "timeseries" or "view"), or null when nothing has it. The full
    /// listing, not names only: a view shares the namespace and is listed too.
    /// </summary>
    private async Task<string?> TypeAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var listed = await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", Name) }, cancellationToken))
            .FirstOrDefaultAsync(cancellationToken);
        return listed?.GetValue("type", "collection").AsString;
    }

    /// <exception cref="StepConflictException">It is a view: it holds no documents of its own and takes no index, so nothing can be added to it.</exception>
    private StepOutcome Existing(string type, string how) => type switch
    {
        "view" => throw new StepConflictException(
            $"'{Name}' is a view, not a collection: the migration adds fields and indexes to the application's collection {Name}, which a view " +
            "cannot hold. Rename or drop the view (the application's data is in the collection it reads from), then run again."),
        "timeseries" => StepOutcome.AlreadyDone($"collection {Name} {how} as a time-series collection (the application's): left as it is"),
        _ => StepOutcome.AlreadyDone($"collection {Name} {how} (the application's): left as it is"),
    };
}

/// <summary>The rollback of <see cref="EnsureCollectionStep"/>: the application's collection stays, with all it holds.</summary>
public sealed record LeaveCollectionStep(string Name) : IMigrationStep
{
    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [Name];

    public string Description => $"leave collection {Name} in place (the application's)";

    public SchemaCatalog Apply(SchemaCatalog catalog) => catalog;

    public IMigrationStep Inverse(SchemaCatalog before) => new EnsureCollectionStep(Name);

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.AlreadyDone($"collection {Name} left in place: it belongs to the application"));

    public MongoshStatements Mongosh(BatchOptions batching) => MongoshStatements.Comment($"no command: {Name} is left in place, with all it holds (the application's)");
}
