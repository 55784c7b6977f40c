namespace BotCore.MigrationPortal.Runs.Guidance;

/// <summary>The run page's sections, in page order; each folds.</summary>
public enum RunSection
{
    Change,
    PreChecks,
    Checklist,
    Progress,
    Validation,
    Performance,
    History,
    Notifications,
}

/// <summary>One thing left to do on a run, pointing at the place on the page where it is done.</summary>
/// <param name="Anchor">The id of the element it points at (a checklist row, the actions, a section).</param>
public sealed record ToDoItem(string Text, RunSection? Section, string Anchor);

/// <summary>
/// What the run page says first: where the run is, in words; who must act next; what is left, each item a link to where it is
/// done; and which sections are open for this state.
/// </summary>
public sealed record RunGuidance(string Headline, string NextActor, IReadOnlyList<ToDoItem> ToDo, IReadOnlySet<RunSection> Open);

/// <summary>The ids the run page gives the places a to-do item points at, so that the guide and the page agree.</summary>
public static class RunAnchors
{
    public const string Actions = "run-actions";

    public static string Item(string itemId) => $"item-{itemId.Replace('.', '-')}";

    public static string Section(RunSection section) => $"section-{section.ToString().ToLowerInvariant()}";
}
