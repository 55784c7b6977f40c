using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Drops an index; carries its definition so the inverse can recreate it.</summary>
public sealed record DropIndexStep(string CollectionName, IndexDefinition Index) : IMigrationStep
{
    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description => $"drop index {CollectionName}.{Index.Name}";

    public SchemaCatalog Apply(SchemaCatalog catalog) =>
        catalog.Find(CollectionName) is { } collection && collection.Indexes.ContainsKey(Index.Name)
            ? catalog.With(collection.WithoutIndex(Index.Name))
            : catalog;

    public IMigrationStep Inverse(SchemaCatalog before) =>
        new CreateIndexStep(CollectionName, before.Find(CollectionName)?.Indexes.GetValueOrDefault(Index.Name) ?? Index);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        await context.Database.GetCollection<BsonDocument>(CollectionName).Indexes.DropOneAsync(Index.Name, cancellationToken);
        return StepOutcome.Done($"dropped index {CollectionName}.{Index.Name}");
    }

    public MongoshStatements Mongosh(BatchOptions batching) =>
        MongoshStatements.Of($"{MongoshSyntax.Collection(CollectionName)}.dropIndex({MongoshSyntax.String(Index.Name)});");
}
