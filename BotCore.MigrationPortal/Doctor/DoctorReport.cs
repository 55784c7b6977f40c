using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>A target's check-up: every line, when and for whom it was made.</summary>
/// <param name="CheckedBy">Who asked: a person's name, "portal start-up" or "cli".</param>
/// <param name="Unreachable">Why no line could be made (the server did not answer, refused the credentials); null when it answered.</param>
public sealed record DoctorReport(TargetDescriptor Target, DateTimeOffset At, string CheckedBy, IReadOnlyList<DoctorLine> Lines, string? Unreachable = null)
{
    public int Passed => Lines.Count(l => l.Outcome == DoctorOutcome.Pass);
    public int Warnings => Lines.Count(l => l.Outcome == DoctorOutcome.Warn);
    public int Failures => Lines.Count(l => l.Outcome == DoctorOutcome.Fail);

    public DoctorOutcome Worst => Lines.Count == 0 ? DoctorOutcome.Fail : Lines.Max(l => l.Outcome);

    /// <summary>"8 passed, 1 warning, 0 failures", or why the target could not be checked.</summary>
    public string Summary => Unreachable is { } reason
        ? $"not checked: {reason}"
        : $"{Passed} passed, {Warnings} warning{(Warnings == 1 ? "" : "s")}, {Failures} failure{(Failures == 1 ? "" : "s")}";

    /// <summary>A target that could not be checked: one failing line that says why and what to do.</summary>
    public static DoctorReport NotReached(TargetDescriptor target, DateTimeOffset at, string checkedBy, string reason, string advice) =>
        new(target, at, checkedBy, [DoctorLine.Fail("connection", "Connection", $"{target.Name} at {target.Address} could not be used: {reason}", advice)], reason);
}
