using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// Who may arm and clear sandbox faults: an Admin, on a simulated target. Asked by the dashboard (to show the control) and by
/// <see cref="SandboxFaultRequests"/> (to act), with the person read from the store at that moment.
/// </summary>
public static class SandboxFaultRules
{
    public static Verdict Check(Actor actor, TargetDescriptor target) => Verdict.All(
        () => Verdict.Role(actor, Role.Admin, "arm or clear sandbox faults"),
        () => target.IsSandbox ? Verdict.Yes : Verdict.No($"Target {target.Name} is not simulated: faults can be armed only on the sandbox's targets."));

    /// <summary>What the action is, for the audit log's "tried to …".</summary>
    public static string Describe(string target) => $"change the sandbox faults of {target}";
}
