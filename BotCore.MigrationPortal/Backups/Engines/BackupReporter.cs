using System.Diagnostics;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Backups.Engines;

/// <summary>
/// Reports a backup, verification or restore as run events, the shape run pages and the backups page already read: one
/// numbered step per collection (started, document progress, finished) and log lines. Document progress is thinned to
/// two events a second so that a large collection does not flood the event store.
/// </summary>
/// <param name="direction">"backup", "verify" or "restore", stamped on every event.</param>
public sealed class BackupReporter(IProgress<RunEvent> sink, TimeProvider time, string direction)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public void Log(string message, RunEventLevel level = RunEventLevel.Information) =>
        sink.Report(new RunEvent(time.GetUtcNow(), RunEventKind.Log, message) { Level = level, Direction = direction });

    /// <param name="expected">How many documents are expected, for the progress bar; 0 when unknown.</param>
    public CollectionStep Start(int number, int count, string description, long expected)
    {
        var step = new CollectionStep(this, number, count, expected);
        Emit(step, RunEventKind.StepStarted, description);
        return step;
    }

    private void Emit(CollectionStep step, RunEventKind kind, string message, RunEventLevel level = RunEventLevel.Information, bool? passed = null,
        BatchProgress? batch = null) =>
        sink.Report(new RunEvent(time.GetUtcNow(), kind, message)
        {
            Level = level, Direction = direction, StepIndex = step.Number, StepCount = step.Count, Passed = passed, Batch = batch,
            DurationMs = kind == RunEventKind.StepFinished ? step.Elapsed.TotalMilliseconds : null,
        });

    /// <summary>One collection's part of the operation.</summary>
    public sealed class CollectionStep
    {
        private readonly BackupReporter reporter;
        private readonly long expected;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan lastReport;

        internal CollectionStep(BackupReporter reporter, int number, int count, long expected)
        {
            this.reporter = reporter;
            this.expected = expected;
            Number = number;
            Count = count;
        }

        public int Number { get; }
        public int Count { get; }
        public TimeSpan Elapsed => clock.Elapsed;

        /// <summary>Reports <paramref name="processed"/> documents done, at most twice a second.</summary>
        public void Advance(long processed)
        {
            if (clock.Elapsed - lastReport < ProgressInterval) return;
            lastReport = clock.Elapsed;
            reporter.Emit(this, RunEventKind.BatchProgress, $"{processed:N0} documents", batch: Progress(processed));
        }

        public void Finish(string outcome, bool passed = true) =>
            reporter.Emit(this, RunEventKind.StepFinished, outcome, passed ? RunEventLevel.Information : RunEventLevel.Error, passed);

        private BatchProgress Progress(long processed)
        {
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            var rate = processed / seconds;
            var total = Math.Max(expected, processed);
            return new BatchProgress(processed, total, rate, rate > 0 && expected > processed ? TimeSpan.FromSeconds((total - processed) / rate) : null);
        }
    }
}
