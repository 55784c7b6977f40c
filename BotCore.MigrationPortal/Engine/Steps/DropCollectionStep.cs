using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Drops a collection. Carries its definition so that the inverse can recreate it with its indexes.</summary>
/// <param name="OnlyIfEmpty">Refuse, rather than lose documents the application wrote, when the collection is not empty.</param>
public sealed record DropCollectionStep(CollectionDefinition Collection, bool OnlyIfEmpty = false) : IMigrationStep
{
    /// <summary>
    /// When undoing a create: the UUID of the collection that create made. Any other collection of that name (dropped and created
    /// again by someone else since) is refused, not dropped.
    /// </summary>
    public Guid? CreatedAs { get; init; }

    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [Collection.Name];

    public string Description => $"drop collection {Collection.Name}" + (OnlyIfEmpty ? " (only if it is empty)" : " (its documents are lost)");

    public string? DataAtRisk => OnlyIfEmpty ? null : $"every document of {Collection.Name}";

    public SchemaCatalog Apply(SchemaCatalog catalog) => catalog.Without(Collection.Name);

    public IMigrationStep Inverse(SchemaCatalog before) =>
        new CreateCollectionStep(before.Find(Collection.Name) ?? Collection);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        // Read just before the drop, under the target's lease: only someone outside the portal could swap the collection in between.
        if (CreatedAs is { } created && await MongoCollectionUuid.ReadAsync(context.Database, Collection, cancellationToken) is { } current && current != created)
        {
            throw new StepConflictException(
                $"Collection '{Collection.Name}' is not the one this run created (UUID {current}, not {created}): someone dropped it and created it again, " +
                "so it is left in place. Check who uses it before dropping it by hand.");
        }
        if (OnlyIfEmpty)
        {
            var documents = await context.Database.GetCollection<BsonDocument>(Collection.Name)
                .CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);
            if (documents > 0)
            {
                throw new StepConflictException(
                    $"Collection '{Collection.Name}' holds {documents:N0} documents that the application wrote, so it is not dropped. " +
                    "Back it up and drop it by hand if it really must go, then run again.");
            }
        }
        await context.Database.DropCollectionAsync(Collection.Name, cancellationToken);
        return StepOutcome.Done($"dropped collection {Collection.Name}");
    }

    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var conditions = new List<string>();
        if (CreatedAs is { } created) conditions.Add(MongoshComment.Line($"only if it is still the collection this run created (UUID {created}); another is refused, not dropped"));
        if (OnlyIfEmpty) conditions.Add(MongoshComment.Line($"only if it holds no documents ({MongoshSyntax.Collection(Collection.Name)}.countDocuments({{}}) is 0); otherwise refused"));
        return new([.. conditions, $"{MongoshSyntax.Collection(Collection.Name)}.drop();"]);
    }
}
