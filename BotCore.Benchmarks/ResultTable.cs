using System.Globalization;

namespace BotCore.Benchmarks;

/// <summary>The results as a Markdown table, ready to paste into docs/performance.md.</summary>
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
            $"| {r.Case} | {r.Documents:N0} | {r.Elapsed.TotalSeconds:N1} | {r.DocumentsPerSecond:N0} | {r.MegabytesPerSecond:N1} | " +
            $"{(r.OutputBytes is { } bytes ? (bytes / (1024.0 * 1024)).ToString("N1", CultureInfo.InvariantCulture) : "")} | {r.Note} |")));
        return string.Join(Environment.NewLine, lines);
    }
}
