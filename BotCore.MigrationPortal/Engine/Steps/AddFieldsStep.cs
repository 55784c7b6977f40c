using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Adds fields with default values to the documents that lack them (expand phase of expand-contract), in batches. Documents that
/// already have a field keep their value, so running it again writes nothing.
/// </summary>
/// <remarks>
/// A dotted field (<c>metadata.var_contribution</c>) is added below its parents, at any depth. Where a parent is missing the step
/// creates it; beforehand, in a pass of its own, it records the documents it will create it in (<see cref="CreatedParentRecords"/>),
/// so that the inverse removes exactly those parents again. Where a parent exists and is not a document (null, a scalar, an array),
/// <c>$set</c> would fail the whole migration: the step leaves such documents as they are, excluded in the filter of every write
/// (so one written after the pre-migration check cannot fail it either), and reports how many it left.
/// </remarks>
/// <param name="Defaults">Field paths (dotted for embedded fields) and their default values.</param>
public sealed record AddFieldsStep(string CollectionName, BsonDocument Defaults) : IMigrationStep
{
    // Checked when the migration is built, not halfway through a run.
    public BsonDocument Defaults { get; } = Checked(Defaults);

    public StepKind Kind => StepKind.Data;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description =>
        $"add {string.Join(", ", Defaults.Names)} with defaults to {CollectionName} where missing" +
        (Parents.IsEmpty ? "" : $", creating {string.Join(", ", Parents.Paths)} where missing and leaving documents whose {Named(Parents)} is not an object");

    public ParentPaths Parents => ParentPaths.Of(Defaults.Names);

    public string Idempotency => $"writes only documents lacking {string.Join(" or ", Defaults.Names)}; a document that has the field keeps its value";

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    /// <summary>The documents the step still has to process: those lacking one of the fields, whose parents can take it.</summary>
    public FilterDefinition<BsonDocument> Pending =>
        Builders<BsonDocument>.Filter.Or(Defaults.Names.Select(FieldFilters.Missing)) & FieldFilters.ParentsObjectsOrMissing(Parents);

    /// <summary>The documents the step leaves as they are: a parent of its fields exists and is not an object.</summary>
    public FilterDefinition<BsonDocument> Refused => FieldFilters.ParentNotAnObject(Parents);

    // Undoing takes back only the defaults (a value the application wrote meanwhile, by dual writes, is kept) and the parents this step created.
    public IMigrationStep Inverse(SchemaCatalog before) => new RemoveFieldsStep(CollectionName, Defaults, OnlyWhereDefault: true);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var collection = context.Database.GetCollection<BsonDocument>(CollectionName);
        var parents = Parents;
        if (parents.IsEmpty) return StepOutcome.Documents(await AddAsync(context, collection, cancellationToken), AddedTo);

        var recorded = await RecordMissingParentsAsync(context, collection, parents, cancellationToken);
        var added = StepOutcome.Documents(await AddAsync(context, collection, cancellationToken), AddedTo);
        var refused = await collection.CountDocumentsAsync(Refused, cancellationToken: cancellationToken);
        var left = $"{Counted.Of(refused, "document")} left as {Counted.Pick(refused, "it is", "they are")}: {Counted.Pick(refused, "its", "their")} {Named(parents)} exists and is not an object (null, a scalar or an array)";
        if (refused > 0) context.Reporter.Log($"{CollectionName}: {left}. Fix {Counted.Pick(refused, "it", "them")} and run this step again.", RunEventLevel.Warning);
        return added with
        {
            // Records alone are a change too: the undo must forget them.
            Changed = added.Changed || recorded.Written > 0,
            Summary = $"{added.Summary}; {recorded.Written:N0} missing {string.Join(", ", parents.Paths)} created (recorded for the rollback)" +
                (refused > 0 ? $"; {left}" : ""),
        };
    }

    private static string Named(ParentPaths parents) => string.Join(" or ", parents.Paths);

    private string AddedTo => $"field values added to {CollectionName}";

    private Task<BatchSummary> AddAsync(StepContext context, IMongoCollection<BsonDocument> collection, CancellationToken cancellationToken) =>
        context.Batches.ProcessAsync(collection, Pending, collection, Additions, cancellationToken);

    /// <summary>
    /// The writes for one batch (sorted by <c>_id</c>): each field <c>$set</c> where it is missing. The parents are tested again in
    /// each write, so a document changed since it was read (or since the pre-migration check) is left, never failed on.
    /// </summary>
    internal IEnumerable<WriteModel<BsonDocument>> Additions(IReadOnlyList<BsonDocument> batch)
    {
        var range = BatchFilters.IdRangeOf(batch);
        return Writes.Select(write => new UpdateManyModel<BsonDocument>(range & write.Filter, write.Update));
    }

    /// <summary>Each field's write, before it is limited to a batch's <c>_id</c> range: what the step executes and what it shows.</summary>
    private IEnumerable<(FilterDefinition<BsonDocument> Filter, UpdateDefinition<BsonDocument> Update)> Writes
    {
        get
        {
            var parents = FieldFilters.ParentsObjectsOrMissing(Parents);
            return Defaults.Select(element => (FieldFilters.Missing(element.Name) & parents, Builders<BsonDocument>.Update.Set(element.Name, element.Value)));
        }
    }

    /// <summary>The batched <c>$set</c> of each field, after the pass that records the parents it creates (shown as a comment).</summary>
    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var lines = new List<string>();
        if (!Parents.IsEmpty)
        {
            lines.Add(MongoshComment.Line($"first, {MongoshBatches.Describe(batching)}, over {MongoshSyntax.Value(MongoshSyntax.Rendered(MissingParents))}: " +
                $"records each document's missing {string.Join(", ", Parents.Paths)} in {TargetCollections.CreatedParents} as " +
                $"{{ _id: {{ owner: {MongoshSyntax.String(CreatedParentRecords.Owner(CollectionName, Defaults))}, parent, document: <its _id> }} }} (upsert), " +
                "so that the rollback removes exactly those again"));
        }
        lines.Add(MongoshComment.Line($"{MongoshBatches.Describe(batching)}:"));
        lines.AddRange(MongoshBatches.Updates(CollectionName, Pending, batching, Writes));
        if (!Parents.IsEmpty)
        {
            lines.Add(MongoshComment.Line($"then counts the documents left as they are: {MongoshSyntax.Value(MongoshSyntax.Rendered(Refused))}"));
        }
        return new(lines);
    }

    private FilterDefinition<BsonDocument> MissingParents => FieldFilters.ParentMissing(Parents) & FieldFilters.ParentsObjectsOrMissing(Parents);

    /// <summary>
    /// Records, before any field is written, the documents whose parents the add will create. A document that loses a parent after
    /// this pass has passed it gets the parent unrecorded, and keeps an empty one after the rollback.
    /// </summary>
    private Task<BatchSummary> RecordMissingParentsAsync(StepContext context, IMongoCollection<BsonDocument> collection, ParentPaths parents,
        CancellationToken cancellationToken)
    {
        var owner = CreatedParentRecords.Owner(CollectionName, Defaults);
        return context.Batches.ProcessAsync(collection, MissingParents,
            context.Database.GetCollection<BsonDocument>(TargetCollections.CreatedParents),
            documents =>
            {
                var now = context.Time.GetUtcNow().UtcDateTime;
                return documents.SelectMany(document => CreatedParentRecords.Record(owner, document, parents, now));
            },
            cancellationToken, pass: "parents");
    }

    private static BsonDocument Checked(BsonDocument defaults)
    {
        _ = ParentPaths.Of(defaults.Names);
        return defaults;
    }
}
