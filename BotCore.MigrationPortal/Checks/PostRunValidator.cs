using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Checks;

/// <summary>Prepares the post-migration validation of a run, for the run's job and the CLI's <c>up</c> and <c>down</c> alike.</summary>
public sealed class PostRunValidator(MigrationRegistry registry, IIntegrityChecks checks, TimeProvider time)
{
    /// <summary>Counts the documents of the collections the plan touches, before it runs, for the count check afterwards.</summary>
    /// <param name="accepted">Why a difference was accepted before the run (an Admin's drift acceptance), or null: it does not fail the run.</param>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    public async Task<PostRunValidation> PrepareAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken,
        Func<ClassifiedDifference, string?>? accepted = null) =>
        new(registry, checks, await checks.CountAsync(target, plan, cancellationToken), time, accepted);
}
