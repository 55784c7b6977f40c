namespace BotCore.MigrationPortal.Runs;

public enum RunHistoryKind
{
    StateChange,
    Comment,
    Pause,
}

/// <summary>One line of a run's history: a change of its state (with why), a comment (with its text), or a pause of its data step.</summary>
public sealed record RunHistoryLine(DateTime At, RunHistoryKind Kind, string What, string By, string Details);

/// <summary>What happened to a run and what people wrote on it, as one story.</summary>
public static class RunHistory
{
    /// <summary>State changes and comments in time order; at the same moment, the state change first (the order is stable).</summary>
    public static IReadOnlyList<RunHistoryLine> Of(MigrationRun run) =>
        run.Transitions.Select(t => new RunHistoryLine(t.At, RunHistoryKind.StateChange, $"{t.From.DisplayName()} → {t.To.DisplayName()}", t.By, t.Reason))
            .Concat(run.Comments.Select(c => new RunHistoryLine(c.At, RunHistoryKind.Comment, "Comment", c.By, c.Text)))
            .Concat(run.Pauses.Select(p => new RunHistoryLine(p.At, RunHistoryKind.Pause, p.What, p.By, p.Details)))
            .OrderBy(line => line.At)
            .ToList();
}
