using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>
/// The post-migration validation of one run, which the runner asks once the plan's steps succeeded, still under the target's
/// lease: as the spec's safelyRunMigration validates inside its try, a failure here is rolled back by the same undo as a failing
/// step (unless the request says to leave the changes in place).
/// </summary>
public interface IRunValidation
{
    /// <param name="progress">Where each check's result is reported, as the run's other events.</param>
    /// <param name="cancellationToken">Cancelled when the run lost the target's lease; a person's cancellation does not reach a validation.</param>
    /// <returns>The failures that block; empty when the target is what the plan should leave.</returns>
    Task<IReadOnlyList<FailedCheck>> ValidateAsync(IMigrationTarget target, MigrationPlan plan, IProgress<RunEvent> progress, CancellationToken cancellationToken);
}

/// <summary>A check of a run's validation that failed and blocks the run, as its error names it.</summary>
public sealed record FailedCheck(string Name, string Summary)
{
    /// <summary>Why a run stopped when these failed, as its error, its events and its changelog say it: one clause, for a sentence to go on.</summary>
    public static string Describe(IReadOnlyList<FailedCheck> failed) =>
        $"Post-migration validation failed: {string.Join("; ", failed.Select(f => $"'{f.Name}': {f.Summary.TrimEnd('.')}"))}";
}
