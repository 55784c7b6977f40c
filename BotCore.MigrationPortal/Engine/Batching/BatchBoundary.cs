namespace BotCore.MigrationPortal.Engine.Batching;

/// <summary>
/// Asked by a data step between two of its batches, once the batch and its checkpoint are saved and no transaction is open: returns when the
/// step may go on (at once, or after a pause a person asked for is lifted). Cancelling <paramref name="cancellationToken"/> ends a wait.
/// </summary>
public delegate Task BatchBoundary(BatchPosition position, CancellationToken cancellationToken);

/// <summary>Where a data step stands between two batches: the step, how many batches are done, and its documents so far of its total.</summary>
/// <param name="Simulated">The batches are the sandbox's simulation, not documents of a database.</param>
public sealed record BatchPosition(string StepKey, long Batch, long Processed, long Total, bool Simulated = false);

/// <summary>
/// What happens between two batches, for the real <see cref="BatchProcessor"/> and the sandbox's simulated batches alike: the pause that spares
/// the database, then the run's boundary (a person's pause takes effect here).
/// </summary>
public static class BetweenBatches
{
    /// <returns>How long the boundary held the step (a pause): not part of its rate.</returns>
    public static async Task<TimeSpan> PassAsync(BatchBoundary? boundary, BatchPosition position, int pauseMilliseconds, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (pauseMilliseconds > 0) await Task.Delay(TimeSpan.FromMilliseconds(pauseMilliseconds), time, cancellationToken);
        if (boundary is null) return TimeSpan.Zero;
        var asked = time.GetTimestamp();
        await boundary(position, cancellationToken);
        return time.GetElapsedTime(asked);
    }

    /// <summary>The number of the batch that ended at <paramref name="processed"/> documents, counted from the step's first batch (a resumed step too).</summary>
    public static long Number(long processed, int batchSize) => (processed + batchSize - 1) / batchSize;
}
