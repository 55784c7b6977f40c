using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Cli;

/// <summary>Prints run events as they happen, one line each; batch progress at most once a second per step.</summary>
public sealed class ConsoleRunProgress(TextWriter output) : IProgress<RunEvent>
{
    private readonly Lock gate = new();
    private DateTimeOffset lastBatchLine = DateTimeOffset.MinValue;

    public void Report(RunEvent value)
    {
        lock (gate)
        {
            if (value.Kind == RunEventKind.BatchProgress)
            {
                var finished = value.Batch is { } b && b.Processed >= b.Total;
                if (!finished && value.At - lastBatchLine < TimeSpan.FromSeconds(1)) return;
                lastBatchLine = value.At;
            }
            output.WriteLine(Format(value));
        }
    }

    public static string Format(RunEvent value)
    {
        var where = value.Version is null ? "" : $"{value.Version} {value.Direction}".PadRight(14);
        var step = value.StepIndex is { } i ? $"[{i}/{value.StepCount}] " : "";
        var level = value.Level switch
        {
            RunEventLevel.Error => "ERROR ",
            RunEventLevel.Warning => "WARN  ",
            _ => "",
        };
        var duration = value.DurationMs is { } ms ? $" ({ms:N0} ms)" : "";
        // A run's batch line says its rate and time left already; a backup's says only the documents copied.
        var rate = value is { Kind: RunEventKind.BatchProgress, Batch: { } batch } && !value.Message.Contains("/s", StringComparison.Ordinal)
            ? $" ({batch.Percent:N0} %, {batch.DocumentsPerSecond:N0}/s" + (batch.Eta is { } eta ? $", about {eta.TotalSeconds:N0} s left)" : ")")
            : "";
        var verb = value.Kind switch
        {
            RunEventKind.StepStarted => "start ",
            RunEventKind.StepFinished => "done  ",
            // A failed check shows as an error or a warning, by its level.
            RunEventKind.Validation when value.Passed == true => "ok    ",
            _ => "",
        };
        return $"{value.At:HH:mm:ss} {where}{step}{level}{verb}{value.Message}{rate}{duration}";
    }
}
