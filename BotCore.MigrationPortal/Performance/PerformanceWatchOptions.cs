namespace BotCore.MigrationPortal.Performance;

/// <summary><c>Portal:PerformanceWatch</c>: how long slow operations are watched after a run, how often, and what counts as slow.</summary>
public sealed record PerformanceWatchOptions(int Minutes = 30, int SampleEveryMinutes = 5, int SlowMs = 100)
{
    public static PerformanceWatchOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Portal:PerformanceWatch");
        var defaults = new PerformanceWatchOptions();
        return new PerformanceWatchOptions(
            Math.Max(0, section.GetValue("Minutes", defaults.Minutes)),
            Math.Max(1, section.GetValue("SampleEveryMinutes", defaults.SampleEveryMinutes)),
            Math.Max(1, section.GetValue("SlowMs", defaults.SlowMs)));
    }
}
