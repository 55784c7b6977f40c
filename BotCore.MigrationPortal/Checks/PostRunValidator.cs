using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Checks;

/// <summary>Prepares the post-migration validation of a run, for the run's job and the CLI's <c>up</c> and <c>down</c> alike.</summary>
public sealed class PostRunValidator(MigrationRegistry registry, IIntegrityChecks checks, TimeProvider time)
{
    /// <summary>Counts the documents of the collections the plan touches, before it runs, for the count check afterwards.</summary>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    public async Task<PostRunValidation> PrepareAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
        new(registry, checks, await checks.CountAsync(target, plan, cancellationToken), time);
}
