using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Copies one top-level field into another, in batches: the backfill of an expand phase (old → new), and the undo of a contract
/// (new → old). Each batch is one <c>updateMany</c> with an aggregation pipeline, <c>[{ $set: { to: "$from" } }]</c>, so the value
/// comes from the document itself on the server; it writes only where <paramref name="To"/> is missing and <paramref name="From"/>
/// exists, so a value the application wrote meanwhile (dual writes) is kept, and running it again writes nothing.
/// </summary>
/// <remarks>
/// <c>$exists: true</c> also matches a field holding null, which is copied as null: the new field then exists, as the old one did.
/// Top-level fields only: a dotted path would need the parent handling of <see cref="AddFieldsStep"/>.
/// </remarks>
public sealed record CopyFieldStep(string CollectionName, string From, string To) : IMigrationStep
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    // Checked when the migration is built, not halfway through a run.
    public string From { get; } = FieldName(From, nameof(From));

    public string To { get; } = To == From ? throw new ArgumentException($"A field cannot be copied into itself ('{To}').", nameof(To)) : FieldName(To, nameof(To));

    public StepKind Kind => StepKind.Data;

    public string Idempotency => $"writes only documents where {To} is missing and {From} exists; a copied document has {To}";

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description => $"copy {From} into {To} in {CollectionName} where {To} is missing and {From} exists";

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    /// <summary>The documents still to copy: <c>{ to: { $exists: false }, from: { $exists: true } }</c>.</summary>
    public FilterDefinition<BsonDocument> Pending => Filter.Exists(To, false) & Filter.Exists(From);

    /// <summary><c>[{ $set: { to: "$from" } }]</c>: an update with an aggregation pipeline, which may read the document's own fields.</summary>
    public UpdateDefinition<BsonDocument> Copy =>
        Builders<BsonDocument>.Update.Pipeline(PipelineDefinition<BsonDocument, BsonDocument>.Create(new BsonDocument("$set", new BsonDocument(To, "$" + From))));

    // Undoing takes back only the copies that still equal their source: a value the application wrote into the field meanwhile stays.
    public IMigrationStep Inverse(SchemaCatalog before) => new RemoveFieldCopyStep(CollectionName, To, KeptIn: From, OnlyWhereEqual: true);

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken) =>
        Write.ExecuteAsync(context, $"{From} copied into {To} in {CollectionName}", cancellationToken);

    /// <summary>The write for one batch (sorted by <c>_id</c>): the copy.</summary>
    internal IEnumerable<WriteModel<BsonDocument>> Copies(IReadOnlyList<BsonDocument> batch) => Write.WritesFor(batch);

    public MongoshStatements Mongosh(BatchOptions batching) => Write.Mongosh(batching);

    private PendingUpdate Write => new(CollectionName, Pending, Copy);

    internal static string FieldName(string field, string role) =>
        string.IsNullOrWhiteSpace(field) || field.StartsWith('$') || field.Contains('.')
            ? throw new ArgumentException($"'{field}' is not a top-level field name (no '$' at the start, no '.').", role)
            : field;
}
