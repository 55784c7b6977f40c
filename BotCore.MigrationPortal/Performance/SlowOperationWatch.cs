using BotCore.MigrationPortal.Text;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Performance;

/// <summary>
/// The spec's "monitor performance: watch slow queries after migrations": from <see cref="From"/> (the run's end) to <see cref="Until"/>,
/// the operations on the run's collections slower than the threshold, as the database profiler recorded them or as <c>$currentOp</c>
/// samples caught them, or why neither could be read.
/// </summary>
/// <param name="Collections">The collections watched: those the run touched and those its critical queries read.</param>
/// <param name="SlowMs">The threshold: an operation is slow from this many milliseconds.</param>
public sealed record SlowOperationWatch(DateTime From, DateTime Until, IReadOnlyList<string> Collections, int SlowMs)
{
    public const string Profiler = "profiler";
    public const string CurrentOp = "$currentOp samples";

    /// <summary><see cref="Profiler"/> or <see cref="CurrentOp"/> once read; null before, or when neither is available.</summary>
    public string? Source { get; init; }

    /// <summary>Why no source could be read ("not available: missing privilege …"); null when one was.</summary>
    public string? NotAvailable { get; init; }

    public bool Simulated { get; init; }

    public IReadOnlyList<SlowOperation> Operations { get; init; } = [];

    public int Samples { get; init; }

    public DateTime? LastSampledAt { get; init; }

    /// <summary>The window is over (or there is nothing to watch): no more samples are taken.</summary>
    public bool Finished { get; init; }

    /// <summary>One sentence for the checklist and the folded section.</summary>
    public string Summary
    {
        get
        {
            if (Simulated) return PerformanceWords.SimulatedWatch;
            if (NotAvailable is { } why) return $"Slow operations: {why}";
            var window = $"{(int)(Until - From).TotalMinutes} min after the run on {string.Join(", ", Collections)}";
            if (Source is null) return $"Slow operations: watching {window}, not sampled yet";
            var found = Operations.Count == 0
                ? $"none slower than {SlowMs} ms"
                : $"{Counted.Of(Operations.Count, "operation")} slower than {SlowMs} ms, the slowest {Operations.Max(o => o.Millis)} ms";
            return $"Slow operations ({Source}, {(Finished ? "" : "so far, ")}{window}): {found}";
        }
    }
}

/// <summary>One slow operation: when, where, what, how long and how it was answered (its plan summary, "COLLSCAN" or "IXSCAN { … }").</summary>
/// <param name="Id">The profiler entry's time and namespace, or $currentOp's opid: what makes two samples of one operation one.</param>
public sealed record SlowOperation(string Id, DateTime At, string Namespace, string Operation, long Millis, string? PlanSummary)
{
    /// <summary>
    /// A <c>system.profile</c> document (the manual's "Database Profiler Output"): <c>ts</c>, <c>ns</c>, <c>op</c>, <c>millis</c>, <c>planSummary</c>.
    /// </summary>
    public static SlowOperation FromProfile(BsonDocument entry)
    {
        var at = entry.GetValue("ts", BsonNull.Value) is BsonDateTime ts ? ts.ToUniversalTime() : DateTime.MinValue;
        var ns = Text(entry, "ns") ?? "?";
        return new SlowOperation($"{at:O} {ns} {Text(entry, "op")}", at, ns, Text(entry, "op") ?? "?",
            entry.GetValue("millis", BsonNull.Value) is { IsNumeric: true } millis ? millis.ToInt64() : 0, Text(entry, "planSummary"));
    }

    /// <summary>
    /// A <c>$currentOp</c> document: <c>opid</c>, <c>ns</c>, <c>op</c>, <c>microsecs_running</c>, <c>planSummary</c>; seen at
    /// <paramref name="sampledAt"/>, running for as long as it had run by then.
    /// </summary>
    public static SlowOperation FromCurrentOp(BsonDocument operation, DateTime sampledAt)
    {
        var micros = operation.GetValue("microsecs_running", BsonNull.Value) is { IsNumeric: true } running ? running.ToInt64() : 0;
        return new SlowOperation($"opid {operation.GetValue("opid", BsonNull.Value)}", sampledAt, Text(operation, "ns") ?? "?", Text(operation, "op") ?? "?",
            micros / 1000, Text(operation, "planSummary"));
    }

    private static string? Text(BsonDocument document, string name) =>
        document.GetValue(name, BsonNull.Value) is { IsString: true } value ? value.AsString : null;
}
