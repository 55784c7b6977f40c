using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Adds fields with default values to the documents that lack them (expand phase of expand-contract), in
/// batches. Documents that already have a field keep their value, so running it again writes nothing.
/// </summary>
/// <param name="Defaults">Field paths (dotted for embedded fields) and their default values.</param>
public sealed record AddFieldsStep(string CollectionName, BsonDocument Defaults) : IMigrationStep
{
    public StepKind Kind => StepKind.Data;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description => $"add {string.Join(", ", Defaults.Names)} with defaults to {CollectionName} where missing";

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    /// <summary>The documents the step still has to process: those lacking one of the fields.</summary>
    public FilterDefinition<BsonDocument> Pending => Builders<BsonDocument>.Filter.Or(Defaults.Names.Select(Missing));

    // Undoing takes back only the defaults: a value the application wrote meanwhile (dual writes) is kept.
    public IMigrationStep Inverse(SchemaCatalog before) => new RemoveFieldsStep(CollectionName, Defaults, OnlyWhereDefault: true);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var collection = context.Database.GetCollection<BsonDocument>(CollectionName);
        var batch = await context.Batches.ProcessAsync(collection, Pending, collection,
            documents => Defaults.Select(field => new UpdateManyModel<BsonDocument>(
                BatchFilters.IdRangeOf(documents) & Missing(field.Name),
                Builders<BsonDocument>.Update.Set(field.Name, field.Value))),
            cancellationToken);
        return StepOutcome.Documents(batch, $"field values added to {CollectionName}");
    }

    private static FilterDefinition<BsonDocument> Missing(string field) => Builders<BsonDocument>.Filter.Exists(field, false);
}
