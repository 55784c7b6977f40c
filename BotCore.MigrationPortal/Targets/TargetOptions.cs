using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// A named target from configuration (<c>Targets:&lt;name&gt;</c>), overridable by environment variables such as
/// <c>Targets__staging__ConnectionString</c>. The connection string is a secret: never logged, never shown.
/// </summary>
public sealed class TargetOptions
{
    public const string Section = "Targets";
    public const string SandboxSection = "Sandbox:Targets";

    public string? ConnectionString { get; set; }

    public string Database { get; set; } = "bot_core_db";

    public TargetTier Tier { get; set; } = TargetTier.Development;

    /// <summary>How long to wait for a server before calling the target unreachable.</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// When a run's post-migration validation or a blocking post-check fails, roll the run back at once (as the spec's
    /// run_migration.js does). Turned off, the run ends Failed with its changes in place for a person to judge.
    /// </summary>
    public bool RollBackOnFailedValidation { get; set; } = true;

    /// <summary>
    /// Sandbox only: the simulated target starts as a database the spec's JavaScript scripts took to this version (a brownfield
    /// database to adopt), see <see cref="SpecScriptsDatabase"/>; empty when not set.
    /// </summary>
    public string? BuiltBySpecScriptsTo { get; set; }

    /// <summary>
    /// Sandbox only: the kind of server the simulated target stands for (Standalone, ReplicaSet or Sharded), which decides whether
    /// its data steps' batches would run in transactions. A MongoDB target's topology is read from the server.
    /// </summary>
    public TargetTopology Topology { get; set; } = TargetTopology.ReplicaSet;

    /// <summary>
    /// Sandbox only: how many documents each collection of the simulated target holds (<c>Documents:users=250000</c>), which its data
    /// steps walk through in simulated batches; a collection not named holds none.
    /// </summary>
    public Dictionary<string, long> Documents { get; set; } = new(StringComparer.Ordinal);
}
