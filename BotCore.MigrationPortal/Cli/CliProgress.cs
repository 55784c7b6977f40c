using BotCore.MigrationPortal.Engine.Running;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BotCore.MigrationPortal.Cli;

/// <summary>
/// How a long operation (a run, a backup, a verification, a restore) shows its progress: on a terminal, a bar per step or
/// collection with its rate and time left (Spectre.Console); redirected to a file or a pipeline's log, one plain line per event
/// (<see cref="ConsoleRunProgress"/>). With <c>--json</c> the lines go to standard error, so that standard output is the JSON alone.
/// </summary>
public sealed class CliProgress(CliConsole console)
{
    public async Task<T> RunAsync<T>(bool json, Func<IProgress<RunEvent>, Task<T>> operation)
    {
        if (json || !console.Interactive) return await operation(new ConsoleRunProgress(json ? console.Error : console.Out));
        return await AnsiConsole.Progress()
            .AutoClear(false)
            // A finished step is written as its plain line; only the steps under way keep a bar.
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DocumentRateColumn(), new RemainingTimeColumn())
            .StartAsync(async context => await operation(new TerminalRunProgress(context)));
    }

    /// <summary>Each step's bar follows its batches; every other event is written above the bars as the plain line says it.</summary>
    private sealed class TerminalRunProgress(ProgressContext context) : IProgress<RunEvent>
    {
        private readonly Lock gate = new();
        private readonly Dictionary<(string?, string?, int), ProgressTask> steps = [];

        public void Report(RunEvent value)
        {
            lock (gate)
            {
                var key = (value.Version, value.Direction, value.StepIndex ?? 0);
                switch (value.Kind)
                {
                    case RunEventKind.StepStarted:
                        steps[key] = context.AddTask(Markup.Escape(Describe(value)), maxValue: 1);
                        steps[key].IsIndeterminate = true;
                        break;
                    case RunEventKind.BatchProgress when steps.TryGetValue(key, out var running) && value.Batch is { } batch:
                        running.IsIndeterminate = false;
                        running.MaxValue = Math.Max(1, batch.Total);
                        running.Value = batch.Processed;
                        break;
                    case RunEventKind.StepFinished or RunEventKind.StepFailed when steps.Remove(key, out var finished):
                        finished.IsIndeterminate = false;
                        finished.Value = finished.MaxValue;
                        finished.StopTask();
                        AnsiConsole.MarkupLine(Markup.Escape(ConsoleRunProgress.Format(value)));
                        break;
                    case RunEventKind.BatchProgress:
                        break;
                    default:
                        AnsiConsole.MarkupLine(Markup.Escape(ConsoleRunProgress.Format(value)));
                        break;
                }
            }
        }
    }

    private static string Describe(RunEvent step)
    {
        var where = step.Version is null ? "" : $"{step.Version} {step.Direction} ";
        var number = step.StepIndex is { } i ? $"[{i}/{step.StepCount}] " : "";
        var text = step.Message.Length > 48 ? step.Message[..47] + "…" : step.Message;
        return where + number + text;
    }

    /// <summary>Documents a second, from the task's measured speed (Spectre's transfer column would call them bytes).</summary>
    private sealed class DocumentRateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Spectre.Console.Text(task.Speed is { } speed && !task.IsFinished ? $"{speed:N0} docs/s" : "");
    }
}
