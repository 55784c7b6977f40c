using System.Diagnostics;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.Benchmarks;

/// <summary>What every backfill case shares: preparing the workload, timing the case, and checking that it backfilled every document.</summary>
public abstract class BackfillCase(BackfillWorkload workload) : IBenchmarkCase
{
    protected BackfillWorkload Workload { get; } = workload;

    public abstract string Name { get; }

    /// <summary>What the case is, without its size: how the ratio table finds the cases it compares.</summary>
    public abstract string Method { get; }

    public async Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        await Workload.PrepareAsync(context.Database, cancellationToken);
        var clock = Stopwatch.StartNew();
        var (note, stoppedEarly) = await BackfillAsync(context, cancellationToken);
        clock.Stop();
        var done = await Workload.DoneAsync(context.Database, cancellationToken);
        if (done != Workload.Documents && !stoppedEarly)
        {
            throw new MigrationEngineException($"{Name} left {Workload.Documents - done:N0} of {Workload.Documents:N0} documents without {BackfillWorkload.Field}.");
        }
        return new BenchmarkResult(Name, done, 0, clock.Elapsed, Note: note) { Size = Workload.Documents, Method = Method };
    }

    /// <returns>A note for the table, or null; and whether the case stopped before the end (by its time cap), the only excuse for documents left.</returns>
    protected abstract Task<(string? Note, bool StoppedEarly)> BackfillAsync(BenchmarkContext context, CancellationToken cancellationToken);
}

/// <summary>
/// (a) The portal's batched data step, exactly as a run executes it: <see cref="MigrationPortal.Engine.Steps.AddFieldsStep"/> through the
/// target, paging by <c>_id</c> range, one unordered bulk write per batch, a checkpoint after each (in the same transaction on a
/// replica set), and the pause between batches.
/// </summary>
public sealed class PortalBackfillCase(BackfillWorkload workload, BatchOptions batching) : BackfillCase(workload)
{
    public override string Name => $"backfill {Workload.Documents:N0}: {Method}";

    public override string Method => MethodFor(batching);

    public static string MethodFor(BatchOptions batching) => $"portal data step (batches of {batching.BatchSize:N0}, pause {batching.PauseMilliseconds} ms)";

    protected override async Task<(string? Note, bool StoppedEarly)> BackfillAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var step = Workload.Step;
        var runId = $"benchmark-{Guid.NewGuid():N}";
        var key = $"benchmark/{Workload.Collection}/{batching.BatchSize}/{batching.PauseMilliseconds}";
        var catalog = await context.MigrationTarget.ReadCatalogAsync(cancellationToken);
        var transactions = TransactionSupport.For(step, catalog, await context.MigrationTarget.ReadTopologyAsync(cancellationToken));
        var reporter = new StepReporter(new Progress<RunEvent>(), TimeProvider.System, "benchmark", "up", 1, 1);
        // A checkpoint left by an interrupted benchmark would make this one resume halfway.
        await context.MigrationTarget.ClearCheckpointsAsync(key, cancellationToken);
        await context.MigrationTarget.ExecuteStepAsync(step, catalog, new StepExecution(runId, key, reporter, batching, transactions), cancellationToken);
        await context.MigrationTarget.ClearCheckpointsAsync(key, cancellationToken);
        return (transactions.Transactional ? "each batch in a transaction with its checkpoint" : "checkpoint after each batch, no transactions", false);
    }
}

/// <summary>(b) One server-side <c>updateMany</c>: the fastest possible, and what the portal's batching trades for being stoppable and gentle.</summary>
public sealed class UpdateManyBackfillCase(BackfillWorkload workload) : BackfillCase(workload)
{
    public override string Name => $"backfill {Workload.Documents:N0}: {Method}";

    public override string Method => MethodName;

    public const string MethodName = "one updateMany";

    protected override async Task<(string? Note, bool StoppedEarly)> BackfillAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        await context.Database.GetCollection<BsonDocument>(Workload.Collection).UpdateManyAsync(
            Builders<BsonDocument>.Filter.Exists(BackfillWorkload.Field, false), Builders<BsonDocument>.Update.Set(BackfillWorkload.Field, BackfillWorkload.Value),
            cancellationToken: cancellationToken);
        return (null, false);
    }
}

/// <summary>
/// (c) The spec's "Read-Modify-Write for Large Collections" loop as written: <c>find({}).skip(n).limit(batch)</c>, one <c>updateOne</c> per
/// document by <c>_id</c> in a bulk write, then the pause. Without a sort, as the spec has it: natural order, which on WiredTiger does
/// not change when a document is updated, so the loop neither skips nor revisits one here (nothing else writes to the collection). Each batch makes the server walk past every document before it, so the total
/// work grows with the square of the collection. It stops after <paramref name="maxSeconds"/> and reports the rate it reached.
/// </summary>
public sealed class SkipLimitBackfillCase(BackfillWorkload workload, BatchOptions batching, int maxSeconds) : BackfillCase(workload)
{
    public override string Name => $"backfill {Workload.Documents:N0}: {Method}";

    public override string Method => MethodFor(batching);

    public static string MethodFor(BatchOptions batching) => $"spec's skip/limit loop (batches of {batching.BatchSize:N0}, pause {batching.PauseMilliseconds} ms)";

    protected override async Task<(string? Note, bool StoppedEarly)> BackfillAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var collection = context.Database.GetCollection<BsonDocument>(Workload.Collection);
        var clock = Stopwatch.StartNew();
        for (var skip = 0; ; skip += batching.BatchSize)
        {
            var batch = await collection.Find(FilterDefinition<BsonDocument>.Empty).Skip(skip).Limit(batching.BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0) return (null, false);
            await collection.BulkWriteAsync(batch.Select(document => new UpdateOneModel<BsonDocument>(
                Builders<BsonDocument>.Filter.Eq("_id", document["_id"]), Builders<BsonDocument>.Update.Set(BackfillWorkload.Field, BackfillWorkload.Value))),
                cancellationToken: cancellationToken);
            if (clock.Elapsed.TotalSeconds > maxSeconds)
            {
                return ($"stopped after {maxSeconds:N0} s at {skip + batch.Count:N0} documents (--skip-limit-max-seconds); its rate only falls from here", true);
            }
            if (batching.PauseMilliseconds > 0) await Task.Delay(batching.PauseMilliseconds, cancellationToken);
        }
    }
}
