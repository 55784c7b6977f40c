using System.Threading.Channels;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Events;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// Receives the engine's events (synchronously, from any thread) and writes them to the event store in order on
/// one background loop, so the engine never waits on the store. Batch progress is thinned to two events a
/// second per step; the last batch of a step is always kept. Disposing writes what is still buffered.
/// </summary>
public sealed class RunEventRecorder : IProgress<RunEvent>, IAsyncDisposable
{
    private static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(500);
    private readonly Channel<RunEvent> buffer = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IRunEventStore store;
    private readonly string runId;
    private readonly Func<RunEvent, Task> onRecorded;
    private readonly ILogger logger;
    private readonly Task writing;
    private DateTimeOffset lastBatch = DateTimeOffset.MinValue;

    public RunEventRecorder(IRunEventStore store, string runId, Func<RunEvent, Task> onRecorded, ILogger logger)
    {
        this.store = store;
        this.runId = runId;
        this.onRecorded = onRecorded;
        this.logger = logger;
        writing = WriteAsync();
    }

    public int Recorded { get; private set; }

    public void Report(RunEvent value) => buffer.Writer.TryWrite(value);

    private async Task WriteAsync()
    {
        await foreach (var runEvent in buffer.Reader.ReadAllAsync())
        {
            if (runEvent.Batch is { } batch && batch.Processed < batch.Total && runEvent.At - lastBatch < BatchInterval) continue;
            if (runEvent.Batch is not null) lastBatch = runEvent.At;
            try
            {
                await store.AppendAsync(runId, runEvent, CancellationToken.None);
                Recorded++;
                await onRecorded(runEvent);
            }
            catch (Exception e)
            {
                // A lost progress line must not stop a migration halfway; the changelog and the run record still tell the outcome.
                logger.LogError(e, "Could not record event {Kind} of run {RunId}", runEvent.Kind, runId);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        buffer.Writer.TryComplete();
        await writing;
    }
}
