using System.Globalization;

namespace BotCore.Benchmarks;

/// <summary>The results as Markdown tables, ready to paste into docs/performance.md.</summary>
public static class ResultTable
{
    public static string Render(IEnumerable<BenchmarkResult> results)
    {
        var lines = new List<string>
        {
            "| Case | Documents | Seconds | Documents/s | MB/s (BSON) | Written (MB) | Note |",
            "|---|---:|---:|---:|---:|---:|---|",
        };
        lines.AddRange(results.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"| {r.Case} | {r.Documents:N0} | {r.Elapsed.TotalSeconds:N1} | {r.DocumentsPerSecond:N0} | {(r.BsonBytes > 0 ? r.MegabytesPerSecond.ToString("N1", CultureInfo.InvariantCulture) : "")} | " +
            $"{(r.OutputBytes is { } bytes ? (bytes / (1024.0 * 1024)).ToString("N1", CultureInfo.InvariantCulture) : "")} | {r.Note} |")));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>For each backfill size, each comparison as a ratio of documents/s; a comparison missing a side is left out.</summary>
    public static string RenderRatios(IReadOnlyList<BenchmarkResult> results, IReadOnlyList<(string Numerator, string Denominator)> ratios)
    {
        var lines = new List<string> { "| Documents | Ratio | Documents/s | Ratio |", "|---:|---|---:|---:|" };
        foreach (var size in results.Where(r => r.Size is not null).Select(r => r.Size!.Value).Distinct())
        {
            foreach (var (numerator, denominator) in ratios)
            {
                var top = results.FirstOrDefault(r => r.Size == size && r.Method == numerator);
                var bottom = results.FirstOrDefault(r => r.Size == size && r.Method == denominator);
                if (top is null || bottom is null) continue;
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {size:N0} | {numerator} ÷ {denominator} | {top.DocumentsPerSecond:N0} ÷ {bottom.DocumentsPerSecond:N0} | {top.DocumentsPerSecond / bottom.DocumentsPerSecond:N2}× |"));
            }
        }
        return string.Join(Environment.NewLine, lines);
    }
}
