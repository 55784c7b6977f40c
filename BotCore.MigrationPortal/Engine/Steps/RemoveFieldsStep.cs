using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Removes fields from every document that has them, in batches (contract phase).</summary>
/// <param name="Fields">Field paths, with the defaults the inverse puts back (the values that were removed are lost).</param>
public sealed record RemoveFieldsStep(string CollectionName, BsonDocument Fields) : IMigrationStep
{
    public StepKind Kind => StepKind.Data;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description => $"remove {string.Join(", ", Fields.Names)} from {CollectionName}";

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new AddFieldsStep(CollectionName, Fields);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter;
        var update = Builders<BsonDocument>.Update;
        var collection = context.Database.GetCollection<BsonDocument>(CollectionName);
        var batch = await context.Batches.ProcessAsync(collection,
            filter.Or(Fields.Names.Select(name => filter.Exists(name))), collection,
            documents => [new UpdateManyModel<BsonDocument>(BatchFilters.IdRangeOf(documents), update.Combine(Fields.Names.Select(name => update.Unset(name))))],
            cancellationToken);
        return StepOutcome.Documents(batch, $"documents of {CollectionName} with the fields removed");
    }
}
