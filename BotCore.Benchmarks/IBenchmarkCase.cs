namespace BotCore.Benchmarks;

/// <summary>One thing to time against the seeded database; its result is one row of the table.</summary>
public interface IBenchmarkCase
{
    string Name { get; }

    /// <returns>The measurement, or null when the case cannot run here (it says why on the console).</returns>
    Task<BenchmarkResult?> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}

/// <param name="Documents">Documents the case read or wrote.</param>
/// <param name="BsonBytes">Their size as BSON, for MB/s.</param>
/// <param name="OutputBytes">What it wrote to disk, when it writes files.</param>
public sealed record BenchmarkResult(string Case, long Documents, long BsonBytes, TimeSpan Elapsed, long? OutputBytes = null, string? Note = null)
{
    public double DocumentsPerSecond => Documents / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => BsonBytes / (1024.0 * 1024) / Elapsed.TotalSeconds;

    /// <summary>For cases run at several sizes (the backfills): the size of the collection, which groups the ratios.</summary>
    public int? Size { get; init; }

    /// <summary>For cases run at several sizes: what the case does, without its size.</summary>
    public string? Method { get; init; }
}
