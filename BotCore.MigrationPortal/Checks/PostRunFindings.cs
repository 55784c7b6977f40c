using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Running;

namespace BotCore.MigrationPortal.Checks;

/// <summary>What a run's post-migration validation found: each managed collection against the expected catalog, and the post-migration checks.</summary>
/// <param name="Expected">The version the run took the target to.</param>
/// <param name="Live">The version the target's system_config holds after the run.</param>
public sealed record PostRunFindings(
    SchemaVersion Expected,
    SchemaVersion Live,
    IReadOnlyList<CollectionValidation> Collections,
    IReadOnlyList<CheckResult> Checks)
{
    public bool VersionUpdated => Live == Expected;

    public IReadOnlyList<CollectionValidation> FailedCollections => Collections.Where(c => !c.Passed).ToList();

    /// <summary>
    /// What fails a run's validation, for the portal's runs and the CLI alike: a managed collection that differs from the expected
    /// catalog, or a blocking check that failed (the schema version is one). A failed warning is shown, and the DBA decides.
    /// </summary>
    public IReadOnlyList<FailedCheck> Blocking =>
    [
        .. FailedCollections.Select(c => new FailedCheck($"Catalog of {c.Collection}", c.Summary)),
        .. Checks.Where(c => c.Blocks).Select(c => new FailedCheck(c.Name, c.Summary)),
    ];
}
