using BotCore.MigrationPortal.Engine.Catalog;

namespace BotCore.MigrationPortal.Cli;

/// <summary>A drift report as a terminal shows it: the differences grouped by how much they matter, each with why.</summary>
public static class DriftText
{
    public static void Write(DriftReport report, TextWriter output)
    {
        foreach (var (severity, heading) in new[]
        {
            (DriftSeverity.Blocking, "Blocking (the migrations own these)"),
            (DriftSeverity.Tolerated, "Tolerated (the application's, not drift)"),
            (DriftSeverity.Informational, "Informational"),
        })
        {
            var differences = report.Differences.Where(d => d.Severity == severity).ToList();
            if (differences.Count == 0) continue;
            output.WriteLine($"  {heading}:");
            foreach (var difference in differences) output.WriteLine($"    - {difference.Describe()}");
        }
    }
}
