using System.Collections.Concurrent;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>Keeps every run event, synchronously and in order, and lets a test react to one.</summary>
internal sealed class RecordingProgress(Action<RunEvent>? onEvent = null) : IProgress<RunEvent>
{
    private readonly ConcurrentQueue<RunEvent> events = new();

    public IReadOnlyList<RunEvent> Events => events.ToList();

    public IEnumerable<RunEvent> OfKind(RunEventKind kind) => events.Where(e => e.Kind == kind);

    public void Report(RunEvent value)
    {
        events.Enqueue(value);
        onEvent?.Invoke(value);
    }
}
