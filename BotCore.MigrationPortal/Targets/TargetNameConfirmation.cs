using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// The target's name, typed, as a person's proof that they know which database they are about to change: on Production for
/// whatever starts a change there (a run, its schedule, an emergency rollback), always for restoring a backup over a target.
/// One rule for the pages (to ask), the services (to refuse) and the command line (which asks <c>--confirm-production</c>).
/// </summary>
public static class TargetNameConfirmation
{
    /// <summary>Whether starting a change on a target of <paramref name="tier"/> needs its name typed (on the command line, <c>--confirm-production</c>).</summary>
    public static bool RequiredFor(TargetTier tier) => tier == TargetTier.Production;

    /// <summary>What was typed is the target's name, exactly (surrounding spaces aside): "Production" is not "production".</summary>
    public static bool Matches(string target, string? typed) => string.Equals(typed?.Trim(), target, StringComparison.Ordinal);

    /// <param name="outcome">What did not happen, to begin the refusal: "Not started".</param>
    /// <param name="act">What the name confirms, to end it: "type the name of the target, T, to confirm …".</param>
    public static Verdict Check(string target, string? typed, string outcome, string act) =>
        Matches(target, typed) ? Verdict.Yes : Verdict.No($"{outcome}: type the name of the target, {target}, to confirm {act}.");
}
