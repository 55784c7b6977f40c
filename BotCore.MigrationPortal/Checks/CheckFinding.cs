namespace BotCore.MigrationPortal.Checks;

/// <summary>What a check found, before it is timed: passed or not, one line for the DBA, and the evidence behind it.</summary>
internal sealed record CheckFinding(bool Passed, string Summary, IReadOnlyList<string> Evidence)
{
    public static CheckFinding Pass(string summary, params IEnumerable<string> evidence) => new(true, summary, evidence.ToList());

    public static CheckFinding Fail(string summary, params IEnumerable<string> evidence) => new(false, summary, evidence.ToList());

    public static CheckFinding Of(bool passed, string summary, params IEnumerable<string> evidence) => new(passed, summary, evidence.ToList());

    /// <summary>A collection that does not exist yet holds no documents that could break anything.</summary>
    public static CheckFinding NothingToCheck(string collection) => Pass($"nothing to check: collection {collection} does not exist yet");
}
