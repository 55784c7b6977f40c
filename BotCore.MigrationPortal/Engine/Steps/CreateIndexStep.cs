using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Creates an index; converges when an identical one exists, refuses when its name or key is taken by another.</summary>
public sealed record CreateIndexStep(string CollectionName, IndexDefinition Index) : IMigrationStep
{
    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description =>
        $"create index {CollectionName}.{Index.Name} {CatalogJson.Inline(Index.Key)}" +
        (Index.Unique ? " unique" : "") +
        (Index.ExpireAfterSeconds is { } ttl ? $" TTL {ttl:N0} s" : "") +
        (Index.PartialFilterExpression is { } partial ? $" where {CatalogJson.Inline(partial)}" : "");

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        var collection = catalog.Find(CollectionName)
            ?? throw new StepConflictException($"Cannot create index {CollectionName}.{Index.Name}: collection '{CollectionName}' does not exist.");
        if (collection.Indexes.TryGetValue(Index.Name, out var existing))
        {
            return existing == Index
                ? catalog
                : throw new StepConflictException(
                    $"Index {CollectionName}.{Index.Name} already exists with another definition: expected {CatalogJson.Inline(CatalogJson.ToBson(Index))}, " +
                    $"found {CatalogJson.Inline(CatalogJson.ToBson(existing))}. Drop it by hand, then run again.");
        }
        var sameKey = collection.Indexes.Values.FirstOrDefault(i => i.HasSameKeyAs(Index) && i.PartialFilterExpression == Index.PartialFilterExpression);
        if (sameKey is not null)
        {
            throw new StepConflictException(
                $"Cannot create index {CollectionName}.{Index.Name}: index '{sameKey.Name}' already has the key {CatalogJson.Inline(Index.Key)}. " +
                "Drop or rename it by hand, then run again.");
        }
        return catalog.With(collection.WithIndex(Index));
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new DropIndexStep(CollectionName, Index);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        await context.Database.GetCollection<BsonDocument>(CollectionName).Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(Keys, Options), cancellationToken: cancellationToken);
        return StepOutcome.Done($"created index {CollectionName}.{Index.Name}");
    }

    /// <summary><c>createIndex(keys, options)</c> with the keys and options the step gives the driver.</summary>
    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var options = Options;
        var shown = new BsonDocument("name", options.Name);
        if (options.Unique is true) shown["unique"] = true;
        if (options.ExpireAfter is { } expire) shown["expireAfterSeconds"] = MongoshSyntax.Seconds(expire);
        if (options.PartialFilterExpression is { } partial) shown["partialFilterExpression"] = MongoshSyntax.Rendered(partial);
        return MongoshStatements.Of(
            $"{MongoshSyntax.Collection(CollectionName)}.createIndex({MongoshSyntax.Value(MongoshSyntax.Rendered(Keys))}, {MongoshSyntax.Value(shown)});");
    }

    private IndexKeysDefinition<BsonDocument> Keys => new BsonDocumentIndexKeysDefinition<BsonDocument>(Index.Key);

    /// <summary>The index's options as the driver takes them: what the step executes with and what it shows.</summary>
    private CreateIndexOptions<BsonDocument> Options => new()
    {
        Name = Index.Name,
        Unique = Index.Unique ? true : null,
        ExpireAfter = Index.ExpireAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        PartialFilterExpression = Index.PartialFilterExpression is { } partial ? new BsonDocumentFilterDefinition<BsonDocument>(partial) : null,
    };
}
