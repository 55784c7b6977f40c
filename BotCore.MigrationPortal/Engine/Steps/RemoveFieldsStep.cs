using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Removes fields from every document that has them, in batches (contract phase).</summary>
/// <param name="Fields">Field paths, with the defaults the inverse puts back (the values that were removed are lost).</param>
/// <param name="OnlyWhereDefault">
/// Take back what an <see cref="AddFieldsStep"/> with these fields added: each field only where it still holds exactly its default,
/// below parents that are documents (the add wrote nowhere else), then each parent the add recorded as created, deepest first,
/// where it is left exactly <c>{}</c>. A parent the application wrote into meanwhile stays.
/// </param>
public sealed record RemoveFieldsStep(string CollectionName, BsonDocument Fields, bool OnlyWhereDefault = false) : IMigrationStep
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    public StepKind Kind => StepKind.Data;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description =>
        $"remove {string.Join(", ", Fields.Names)} from {CollectionName}" +
        (OnlyWhereDefault ? " where they still hold their defaults" : "") +
        (TakesBackParents ? $", and {string.Join(", ", Parents.Paths)} where the addition created it and it is empty again" : "");

    public string Idempotency => $"writes only documents that still hold {string.Join(" or ", Fields.Names)}" + (OnlyWhereDefault ? " at its default" : "");

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(CollectionName);
        return catalog;
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new AddFieldsStep(CollectionName, Fields);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var collection = context.Database.GetCollection<BsonDocument>(CollectionName);
        var batch = await context.Batches.ProcessAsync(collection, Pending, collection, Removals, cancellationToken);
        var removed = StepOutcome.Documents(batch, $"field values removed from {CollectionName}");
        if (!TakesBackParents) return removed;

        var (parentsRemoved, forgotten) = await RemoveCreatedParentsAsync(context, collection, cancellationToken);
        return removed with
        {
            Changed = removed.Changed || parentsRemoved + forgotten > 0,
            Summary = $"{removed.Summary}; {string.Join(", ", Parents.Paths)} as the addition created it: {parentsRemoved:N0} removed again, " +
                $"{Counted.Of(forgotten, "record")} forgotten",
        };
    }

    /// <summary>The documents the step still has to process: those holding one of the fields (at its default, when only defaults go).</summary>
    public FilterDefinition<BsonDocument> Pending => Filter.Or(Fields.Select(Present));

    /// <summary>The writes for one batch (sorted by <c>_id</c>): each field <c>$unset</c> where it is present (at its default, when only defaults go).</summary>
    internal IEnumerable<WriteModel<BsonDocument>> Removals(IReadOnlyList<BsonDocument> batch)
    {
        var range = BatchFilters.IdRangeOf(batch);
        return Writes.Select(write => new UpdateManyModel<BsonDocument>(range & write.Filter, write.Update));
    }

    /// <summary>Each field's write, before it is limited to a batch's <c>_id</c> range: what the step executes and what it shows.</summary>
    private IEnumerable<(FilterDefinition<BsonDocument> Filter, UpdateDefinition<BsonDocument> Update)> Writes =>
        Fields.Select(element => (Present(element), Builders<BsonDocument>.Update.Unset(element.Name)));

    /// <summary>The batched <c>$unset</c> of each field, then (taking back an addition) the passes over the parents it recorded, as comments.</summary>
    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var lines = new List<string> { MongoshComment.Line($"{MongoshBatches.Describe(batching)}:") };
        lines.AddRange(MongoshBatches.Updates(CollectionName, Pending, batching, Writes));
        if (TakesBackParents)
        {
            var owner = MongoshSyntax.String(CreatedParentRecords.Owner(CollectionName, Fields));
            lines.AddRange(Parents.Paths.Reverse().Select(parent => MongoshComment.Line(
                $"then, {MongoshBatches.Describe(batching)}, over the records in {TargetCollections.CreatedParents} with _id.owner {owner} and _id.parent " +
                $"{MongoshSyntax.String(parent)}: in the documents they name, {MongoshSyntax.Value(MongoshSyntax.Rendered(Builders<BsonDocument>.Update.Unset(parent)))} " +
                $"where {MongoshSyntax.Value(MongoshSyntax.Rendered(FieldFilters.IsEmptyDocument(parent)))}")));
            lines.Add(MongoshComment.Line($"then deletes those records of {owner} from {TargetCollections.CreatedParents}"));
        }
        return new(lines);
    }

    /// <summary>For a batch of records of <paramref name="parent"/>: <c>$unset</c> it in the documents they name, where it is exactly <c>{}</c>.</summary>
    internal static WriteModel<BsonDocument> ParentRemoval(string parent, IReadOnlyList<BsonDocument> records) =>
        new UpdateManyModel<BsonDocument>(CreatedParentRecords.DocumentsOf(records) & FieldFilters.IsEmptyDocument(parent), Builders<BsonDocument>.Update.Unset(parent));

    private ParentPaths Parents => ParentPaths.Of(Fields.Names);

    private bool TakesBackParents => OnlyWhereDefault && !Parents.IsEmpty;

    private FilterDefinition<BsonDocument> Present(BsonElement field) =>
        OnlyWhereDefault
            ? FieldFilters.HoldsExactly(field.Name, field.Value) & FieldFilters.ParentsObjectsOrMissing(Parents)
            : Filter.Exists(field.Name);

    /// <summary>
    /// One pass per parent, deepest first (<c>a.b</c> must be gone before <c>a</c> can be found empty), over the records the addition
    /// wrote, then a pass that forgets them: a parent that is not empty now holds what someone else wrote, and is theirs.
    /// </summary>
    private async Task<(long Removed, long Forgotten)> RemoveCreatedParentsAsync(StepContext context,
        IMongoCollection<BsonDocument> collection, CancellationToken cancellationToken)
    {
        var records = context.Database.GetCollection<BsonDocument>(TargetCollections.CreatedParents);
        var owner = CreatedParentRecords.Owner(CollectionName, Fields);
        long removed = 0;
        foreach (var parent in Parents.Paths.Reverse())
        {
            var pass = await context.Batches.ProcessAsync(records, CreatedParentRecords.OwnedBy(owner, parent), collection,
                batch => [ParentRemoval(parent, batch)],
                cancellationToken, pass: $"parents:{parent}");
            removed += pass.Written;
        }
        var forgotten = await context.Batches.ProcessAsync(records, CreatedParentRecords.OwnedBy(owner), records,
            batch => [new DeleteManyModel<BsonDocument>(CreatedParentRecords.Themselves(batch))],
            cancellationToken, pass: "forget-parents");
        return (removed, forgotten.Written);
    }
}
