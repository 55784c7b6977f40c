using BotCore.MigrationPortal.Engine.Catalog;
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
        var exists = await (await context.Database.ListCollectionNamesAsync(
            new ListCollectionNamesOptions { Filter = new BsonDocument("name", Name) }, cancellationToken)).AnyAsync(cancellationToken);
        if (exists) return StepOutcome.AlreadyDone($"collection {Name} exists (the application's): left as it is");
        try
        {
            await context.Database.CreateCollectionAsync(Name, cancellationToken: cancellationToken);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceExists)
        {
            // The application created it at the same moment, with options of its own: that is its right.
            return StepOutcome.AlreadyDone($"collection {Name} was created by the application at the same moment");
        }
        return StepOutcome.Done($"created collection {Name} for the application (never dropped by a rollback)");
    }
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
}
