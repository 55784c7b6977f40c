namespace BotCore.MigrationPortal.Checks;

/// <summary>What a check found, before it is timed: its outcome, one line for the DBA, and the evidence behind it.</summary>
internal sealed record CheckFinding(CheckOutcome Outcome, string Summary, IReadOnlyList<string> Evidence)
{
    public bool Passed => Outcome == CheckOutcome.Passed;

    public static CheckFinding Pass(string summary, params IEnumerable<string> evidence) => new(CheckOutcome.Passed, summary, evidence.ToList());

    public static CheckFinding Fail(string summary, params IEnumerable<string> evidence) => new(CheckOutcome.Failed, summary, evidence.ToList());

    public static CheckFinding Of(bool passed, string summary, params IEnumerable<string> evidence) =>
        new(passed ? CheckOutcome.Passed : CheckOutcome.Failed, summary, evidence.ToList());

    /// <summary>The check could not run here (a simulated target): <paramref name="summary"/> says why; it neither passed nor failed.</summary>
    public static CheckFinding Simulated(string summary) => new(CheckOutcome.Simulated, summary, []);

    /// <summary>A collection that does not exist yet holds no documents that could break anything.</summary>
    public static CheckFinding NothingToCheck(string collection) => Pass($"nothing to check: collection {collection} does not exist yet");
}
