using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Cli;

/// <summary>The engine's events, shown on the console and recorded in the run's event stream.</summary>
public sealed class RunProgressTee(IProgress<RunEvent> shown, IProgress<RunEvent> recorded) : IProgress<RunEvent>
{
    public void Report(RunEvent value)
    {
        shown.Report(value);
        recorded.Report(value);
    }
}
