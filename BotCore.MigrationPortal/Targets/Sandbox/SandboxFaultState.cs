namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>What the dashboard shows of one simulated target's faults: those armed, who armed them when, and the last that fired.</summary>
/// <param name="Fired">The most recent first.</param>
public sealed record SandboxFaultState(SandboxFaultSet Armed, string? ArmedBy, DateTimeOffset? ArmedAt, IReadOnlyList<FiredSandboxFault> Fired)
{
    public static SandboxFaultState Empty { get; } = new(SandboxFaultSet.None, null, null, []);
}

/// <summary>A fault that fired: the one fault of the set that did (it is cleared since), where, who had armed it, and when.</summary>
/// <param name="StepKey">The step it failed (a step or batch fault); null for a post-migration check.</param>
public sealed record FiredSandboxFault(string Target, SandboxFaultSet Fault, string? StepKey, string ArmedBy, DateTimeOffset ArmedAt, DateTimeOffset FiredAt)
{
    /// <summary>"step 1.3.0/up/3", "batch 2 of step 1.3.0/up/3", "post-migration check 'schema-version'".</summary>
    public string What => Fault.Batch is { } batch ? $"batch {batch} of step {StepKey}" : Fault.Describe();

    /// <summary>The error a run or a check reports: it must never be mistaken for a real failure.</summary>
    public string Message => $"Sandbox fault: {What} was told to fail (armed by {ArmedBy}).";

    public string Provenance => $"sandbox fault armed on {Target} by {ArmedBy} at {ArmedAt:u}; it fired at {FiredAt:u} and cleared itself";
}
