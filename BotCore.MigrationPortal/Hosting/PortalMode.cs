namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// How this portal instance runs: against MongoDB, or in sandbox mode (in-memory store, simulated targets,
/// Hangfire.InMemory) for a look around without a database. Never chosen silently.
/// </summary>
public sealed record PortalMode(bool IsSandbox)
{
    public const string SandboxSwitch = "--sandbox";
}
