namespace BotCore.MigrationPortal.Doctor;

public enum DoctorOutcome
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One line of a target's check-up: what was looked at, what was found, and what to do about it in one sentence.</summary>
/// <param name="Id">Stable key ("server", "topology", "privileges.migrate", "clock", "backups").</param>
/// <param name="Title">What was looked at, as a person reads it.</param>
/// <param name="Finding">What was found.</param>
/// <param name="Advice">What to do, in one sentence ("Nothing to do." when it passes).</param>
/// <param name="Simulated">The sandbox made the finding up: there is no server to look at.</param>
public sealed record DoctorLine(string Id, string Title, DoctorOutcome Outcome, string Finding, string Advice, bool Simulated = false)
{
    public const string NothingToDo = "Nothing to do.";

    public static DoctorLine Pass(string id, string title, string finding) => new(id, title, DoctorOutcome.Pass, finding, NothingToDo);

    public static DoctorLine Warn(string id, string title, string finding, string advice) => new(id, title, DoctorOutcome.Warn, finding, advice);

    public static DoctorLine Fail(string id, string title, string finding, string advice) => new(id, title, DoctorOutcome.Fail, finding, advice);

    public static DoctorLine SimulatedPass(string id, string title, string finding) => new(id, title, DoctorOutcome.Pass, $"simulated: {finding}", NothingToDo, Simulated: true);

    /// <summary>The line as the CLI prints it: outcome, title, finding, advice.</summary>
    public override string ToString() =>
        $"{Outcome.ToString().ToUpperInvariant(),-4}  {Title}: {Finding}." + (Outcome == DoctorOutcome.Pass ? "" : $" {Advice}");
}
