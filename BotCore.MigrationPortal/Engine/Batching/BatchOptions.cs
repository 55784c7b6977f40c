using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Batching;

/// <summary>How data steps page through documents: batch size and the pause between batches that spares the database.</summary>
public sealed record BatchOptions(int BatchSize = 1000, int PauseMilliseconds = 100)
{
    public const string Section = "Migrations:Batching";

    public BatchOptions Validated() =>
        BatchSize is < 1 or > 100_000
            ? throw new BadInputException($"The batch size must be between 1 and 100,000 (it is {BatchSize}).")
            : PauseMilliseconds is < 0 or > 60_000
                ? throw new BadInputException($"The pause between batches must be between 0 and 60,000 ms (it is {PauseMilliseconds}).")
                : this;
}

/// <summary>What a batched pass did: documents examined, writes made, and how many were already done by an earlier, interrupted run.</summary>
public sealed record BatchSummary(long Processed, long Written, long ResumedAfter)
{
    /// <summary>The documents whose write the server refused with an error the pass tolerates (<see cref="ToleratedRefusals"/>): left as they are.</summary>
    public IReadOnlyList<BsonValue> Refused { get; init; } = [];
}

/// <summary>Progress of a batched pass, with its rate and the time it still needs.</summary>
public sealed record BatchProgress(long Processed, long Total, double DocumentsPerSecond, TimeSpan? Eta)
{
    /// <summary>The sandbox's simulated batches, not documents of a database: every line that shows it says so.</summary>
    public bool Simulated { get; init; }

    /// <summary>"120,000/250,000 documents, 50,000/s, about 3 s left", with "(simulated)" for the sandbox's.</summary>
    public string Describe() =>
        $"{Processed:N0}/{Total:N0} documents, {DocumentsPerSecond:N0}/s" + (Eta is { } eta ? $", about {eta.TotalSeconds:N0} s left" : "") + (Simulated ? " (simulated)" : "");

    public double Percent => Total == 0 ? 100 : Math.Min(100, 100.0 * Processed / Total);
}
