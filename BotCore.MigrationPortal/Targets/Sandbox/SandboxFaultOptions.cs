namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// Faults armed at start-up, from <c>Sandbox:Targets:&lt;name&gt;:Faults</c> (e.g. <c>--Sandbox:Targets:dev:Faults:FailStep=1.3.0/up/3</c>),
/// so that a browser test can start the portal with a target that will fail.
/// </summary>
public sealed class SandboxFaultOptions
{
    public const string Section = "Faults";

    public string? FailStep { get; set; }

    public string? FailPostCheck { get; set; }

    public int? FailBatch { get; set; }

    public SandboxFaultSet ToFaultSet() => new(FailStep, FailPostCheck, FailBatch);
}
