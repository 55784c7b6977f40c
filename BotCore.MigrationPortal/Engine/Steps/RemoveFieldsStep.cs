using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Removes fields from every document that has them, in batches (contract phase).</summary>
/// <param name="Fields">Field paths, with the defaults the inverse puts back (the values that were removed are lost).</param>
/// <param name="OnlyWhereDefault">Remove a field only where it still holds its default: how an added field is taken back.</param>
public sealed record RemoveFieldsStep(string CollectionName, BsonDocument Fields, bool OnlyWhereDefault = false) : IMigrationStep
{
    public StepKind Kind => StepKind.Data;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description =>
        $"remove {string.Join(", ", Fields.Names)} from {CollectionName}" + (OnlyWhereDefault ? " where they still hold their defaults" : "");

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new AddFieldsStep(CollectionName, Fields);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var update = Builders<BsonDocument>.Update;
        var collection = context.Database.GetCollection<BsonDocument>(CollectionName);
        var batch = await context.Batches.ProcessAsync(collection, Pending, collection,
            documents => Fields.Select(field => new UpdateManyModel<BsonDocument>(BatchFilters.IdRangeOf(documents) & Present(field), update.Unset(field.Name))),
            cancellationToken);
        return StepOutcome.Documents(batch, $"field values removed from {CollectionName}");
    }

    /// <summary>The documents the step still has to process: those holding one of the fields (at its default, when only defaults go).</summary>
    public FilterDefinition<BsonDocument> Pending => Builders<BsonDocument>.Filter.Or(Fields.Select(Present));

    private FilterDefinition<BsonDocument> Present(BsonElement field) =>
        OnlyWhereDefault ? Builders<BsonDocument>.Filter.Eq(field.Name, field.Value) : Builders<BsonDocument>.Filter.Exists(field.Name);
}
