using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// A data step's one write over the documents it still has to process: executed in batches (each an <c>updateMany</c> limited to the
/// batch's <c>_id</c> range and, again, to the documents still pending, so one changed since it was read is left), and shown as mongosh.
/// </summary>
internal sealed record PendingUpdate(string Collection, FilterDefinition<BsonDocument> Pending, UpdateDefinition<BsonDocument> Update)
{
    /// <param name="done">What the step's summary says it did ("qty copied into quantity in trades").</param>
    public async Task<StepOutcome> ExecuteAsync(StepContext context, string done, CancellationToken cancellationToken)
    {
        var collection = context.Database.GetCollection<BsonDocument>(Collection);
        return StepOutcome.Documents(await context.Batches.ProcessAsync(collection, Pending, collection, WritesFor, cancellationToken), done);
    }

    /// <summary>The write for one batch (sorted by <c>_id</c>).</summary>
    public IEnumerable<WriteModel<BsonDocument>> WritesFor(IReadOnlyList<BsonDocument> batch) =>
        [new UpdateManyModel<BsonDocument>(BatchFilters.IdRangeOf(batch) & Pending, Update)];

    public MongoshStatements Mongosh(BatchOptions batching) =>
        new([MongoshComment.Line($"{MongoshBatches.Describe(batching)}:"), .. MongoshBatches.Updates(Collection, Pending, batching, [(Pending, Update)])]);
}
