using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Removes a top-level field from the documents where another field keeps its value, in batches: the contract of an expand-contract
/// change removes the old field where the new one exists, and the undo of a <see cref="CopyFieldStep"/> removes the copy where it
/// still equals its source. A document that lacks <paramref name="KeptIn"/> keeps <paramref name="Field"/>: nothing is removed that
/// could not be copied back.
/// </summary>
/// <param name="OnlyWhereEqual">Only where <paramref name="Field"/> holds exactly the value of <paramref name="KeptIn"/> (aggregation <c>$eq</c>).</param>
public sealed record RemoveFieldCopyStep(string CollectionName, string Field, string KeptIn, bool OnlyWhereEqual = false) : IMigrationStep
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    // Checked when the migration is built, not halfway through a run.
    public string Field { get; } = CopyFieldStep.FieldName(Field, nameof(Field));

    public string KeptIn { get; } = KeptIn == Field ? throw new ArgumentException($"A field cannot be kept in itself ('{KeptIn}').", nameof(KeptIn)) : CopyFieldStep.FieldName(KeptIn, nameof(KeptIn));

    public StepKind Kind => StepKind.Data;

    public string Idempotency => $"writes only documents that still hold {Field}";

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description => $"remove {Field} from {CollectionName} where {KeptIn} exists" + (OnlyWhereEqual ? $" and holds the same value" : "");

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    /// <summary>
    /// <c>{ field: { $exists: true }, keptIn: { $exists: true } }</c>, and, when only equal values go,
    /// <c>{ $expr: { $eq: ["$field", "$keptIn"] } }</c> (the value itself, never an array that merely holds it).
    /// </summary>
    public FilterDefinition<BsonDocument> Pending
    {
        get
        {
            var both = Filter.Exists(Field) & Filter.Exists(KeptIn);
            return OnlyWhereEqual
                ? both & new BsonDocumentFilterDefinition<BsonDocument>(new BsonDocument("$expr", new BsonDocument("$eq", new BsonArray { "$" + Field, "$" + KeptIn })))
                : both;
        }
    }

    public UpdateDefinition<BsonDocument> Removal => Builders<BsonDocument>.Update.Unset(Field);

    // The values are still in KeptIn: the undo copies them back.
    public IMigrationStep Inverse(SchemaCatalog before) => new CopyFieldStep(CollectionName, From: KeptIn, To: Field);

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken) =>
        Write.ExecuteAsync(context, $"{Field} removed from {CollectionName}", cancellationToken);

    /// <summary>The write for one batch (sorted by <c>_id</c>): the <c>$unset</c>.</summary>
    internal IEnumerable<WriteModel<BsonDocument>> Removals(IReadOnlyList<BsonDocument> batch) => Write.WritesFor(batch);

    public MongoshStatements Mongosh(BatchOptions batching) => Write.Mongosh(batching);

    private PendingUpdate Write => new(CollectionName, Pending, Removal);
}
