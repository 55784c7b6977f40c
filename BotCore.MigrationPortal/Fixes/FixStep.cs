using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>
/// A fix as a data step of a run, executed by the target like any data step (<see cref="IMigrationTarget.ExecuteStepAsync"/>), so
/// batching, checkpoints, transactions, progress and cancellation are the same as a migration's. One pass over the documents that
/// need it, in batches by <c>_id</c>: for each batch, each document's undo record (<see cref="FixUndoRecords"/>) and then the fix's
/// write where it still needs it, in one transaction on a replica set. Its catalog is the same after it: a fix never changes the schema.
/// </summary>
/// <param name="RunId">The run applying it: its records say which documents it fixes.</param>
public sealed record FixStep(RegisteredFix Fix, string RunId) : IMigrationStep
{
    /// <summary>The pass that writes the fix: its checkpoint counts the documents fixed.</summary>
    public const string ApplyPass = "apply";

    public StepKind Kind => StepKind.Data;

    public string Description => $"fix {Fix.Id}: {Fix.Description} ({Fix.Collection}, with undo records in {TargetCollections.FixUndo})";

    public IReadOnlyList<string> Touches => [Fix.Collection, TargetCollections.FixUndo];

    /// <exception cref="StepConflictException">The collection does not exist.</exception>
    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(Fix.Collection);
        return catalog;
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new FixUndoStep(Fix);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var fix = Fix.Definition;
        var documents = context.Database.GetCollection<BsonDocument>(fix.Collection);
        var records = context.Database.GetCollection<BsonDocument>(TargetCollections.FixUndo);
        var holding = 0L;
        var recordsFirst = new BatchCompanion(records, batch =>
        {
            var writes = FixUndoRecords.Record(fix, RunId, batch, context.Time.GetUtcNow().UtcDateTime).ToList();
            holding += batch.Count - writes.Count;
            return writes;
        });
        var refusals = FixUndoRecords.DocumentsRefusedByValidator(fix.Collection);
        var applied = await context.Batches.ProcessAsync(documents, fix.Pending, documents, batch => FixUndoRecords.Apply(fix, batch), cancellationToken,
            pass: ApplyPass, tolerated: refusals, first: recordsFirst);
        if (holding > 0)
        {
            context.Reporter.Log($"{holding:N0} documents matched the fix's idempotency rule although they already hold what it sets: they were not recorded " +
                "(their record would lose the values from before the fix). The rule (StillNeeded) should not match a fixed document.", RunEventLevel.Warning);
        }
        // A refused document was not changed: its record would let the undo take for the fix's a value the application writes later.
        if (applied.Refused.Count > 0)
        {
            await records.DeleteManyAsync(FixUndoRecords.OfRun(fix.Id, RunId) & FixUndoRecords.OfDocuments(applied.Refused), cancellationToken);
        }
        var outcome = StepOutcome.Documents(applied, $"documents of {fix.Collection} fixed");
        return outcome with { Summary = outcome.Summary + FixUndoRecords.Left(applied, refusals), Refused = applied.Refused.Count };
    }

    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var fix = Fix.Definition;
        var pending = MongoshSyntax.Value(MongoshSyntax.Rendered(fix.Pending));
        var values = fix.ConstantValues is { } constant ? MongoshSyntax.Value(constant) : $"<the values {fix.GetType().Name}.ValuesFor computes for the document>";
        return MongoshStatements.Of(
            MongoshComment.Line($"fix {Fix.Id} (checksum {Fix.ShortChecksum}): {fix.Description}"),
            MongoshComment.Line($"the documents that need it (scope and idempotency rule): {MongoshSyntax.Collection(fix.Collection)}.find({pending})"),
            MongoshComment.Line($"{MongoshBatches.Describe(batching)}, each batch in one transaction: 1. for each of them not holding {values} already, {MongoshSyntax.Collection(TargetCollections.FixUndo)}.replaceOne(" +
                $"{{ _id: {{ fix: {MongoshSyntax.String(Fix.Id)}, document: <its _id> }} }}, {{ previous: <its {string.Join(", ", fix.Fields)}>, " +
                $"missing: <those it lacks>, set: {values}, run_id: <this run> }}, {{ upsert: true }}): the undo restores from these"),
            MongoshComment.Line("2. for each document of the batch, still only where it needs the fix (a document the validator refuses, error 121, " +
                "is left and its record deleted; a batch refused in its transaction is written again without one)"),
            $"{MongoshSyntax.Collection(fix.Collection)}.updateOne({{ $and: [{{ _id: <its _id> }}, {pending}] }}, {{ $set: {values} }});",
            MongoshComment.Line($"a second run finds no document matching {pending}, so it changes nothing"));
    }
}

/// <summary>
/// The undo of a fix, as a data step: restores, from the fix's undo records, the previous values of each document that still holds
/// what the fix set (a value the application wrote since is kept), then forgets the records.
/// </summary>
public sealed record FixUndoStep(RegisteredFix Fix) : IMigrationStep
{
    /// <summary>The pass that restores: its checkpoint counts the documents restored.</summary>
    public const string RestorePass = "restore";

    public StepKind Kind => StepKind.Data;

    public string Description => $"undo fix {Fix.Id}: restore the previous values of {string.Join(", ", Fix.Definition.Fields)} in {Fix.Collection} " +
        $"from {TargetCollections.FixUndo}, where the documents still hold what the fix set";

    public IReadOnlyList<string> Touches => [Fix.Collection, TargetCollections.FixUndo];

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        catalog.Get(Fix.Collection);
        return catalog;
    }

    public IMigrationStep Inverse(SchemaCatalog before) =>
        throw new StepConflictException($"An undone fix is applied again by a new fix run of {Fix.Id}, which records its undo anew.");

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var records = context.Database.GetCollection<BsonDocument>(TargetCollections.FixUndo);
        var refusals = FixUndoRecords.RecordsRefusedByValidator(Fix.Collection);
        var restored = await context.Batches.ProcessAsync(records, FixUndoRecords.Of(Fix.Id),
            context.Database.GetCollection<BsonDocument>(Fix.Collection), FixUndoRecords.Restore, cancellationToken, pass: RestorePass, tolerated: refusals);
        // The records of the documents the validator refused to restore stay, so that they can be restored once corrected.
        var forgotten = await records.DeleteManyAsync(FixUndoRecords.Of(Fix.Id) & FixUndoRecords.NotOfDocuments(restored.Refused), cancellationToken);
        context.Reporter.Log($"{forgotten.DeletedCount:N0} undo records of {Fix.Id} removed from {TargetCollections.FixUndo}.");
        return new StepOutcome(restored.Written > 0 || forgotten.DeletedCount > 0, FixUndoRecords.Restored(restored) + FixUndoRecords.Left(restored, refusals),
            restored.Written) { Refused = restored.Refused.Count };
    }

    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var records = MongoshSyntax.Value(MongoshSyntax.Rendered(FixUndoRecords.Of(Fix.Id)));
        return MongoshStatements.Of(
            MongoshComment.Line($"undo of fix {Fix.Id}: {MongoshBatches.Describe(batching)}, over {MongoshSyntax.Collection(TargetCollections.FixUndo)}.find({records})"),
            $"{MongoshSyntax.Collection(Fix.Collection)}.updateOne({{ _id: <record._id.document>, <each field of record.set>: <exactly that value> }}, " +
            "{ $set: <record.previous>, $unset: <record.missing> });",
            $"{MongoshSyntax.Collection(TargetCollections.FixUndo)}.deleteMany({records});");
    }
}
