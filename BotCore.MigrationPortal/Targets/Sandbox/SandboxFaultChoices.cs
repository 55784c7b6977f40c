using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>A step a fault can fail, as the dashboard offers it.</summary>
public sealed record SandboxStepChoice(string Key, string Label);

/// <summary>The steps of one target a fault can fail, or why there are none (a history the planner refuses).</summary>
public sealed record SandboxStepChoices(IReadOnlyList<SandboxStepChoice> Steps, string? Problem);

/// <summary>What a sandbox fault can name: the steps a run on a target would execute, and the post-migration checks.</summary>
public sealed class SandboxFaultChoices(MigrationRegistry registry, MigrationPlanner planner, IIntegrityChecks checks, TargetRegistry targets)
{
    /// <summary>
    /// Every post-migration check a run's validation can run: those of the plan from nothing to the latest version, which
    /// include the index check of each migration's critical queries.
    /// </summary>
    public IReadOnlyList<CheckDescriptor> PostChecks { get; } =
        checks.Describe(planner.Plan(SchemaVersion.Zero, registry.Latest)).Where(check => check.Phase == CheckPhase.PostMigration).ToList();

    /// <summary>
    /// The up steps of the target's pending migrations, then the down steps of its applied ones (as a rollback run executes
    /// them), each keyed as the runner names it.
    /// </summary>
    /// <exception cref="TargetUnreachableException">The target does not answer.</exception>
    public async Task<SandboxStepChoices> StepsAsync(string target, CancellationToken cancellationToken)
    {
        var history = await targets.Get(target).ReadHistoryAsync(cancellationToken);
        try
        {
            var plans = new[]
            {
                history.Applied < registry.Latest ? planner.Plan(history.Applied, registry.Latest, history) : null,
                history.Applied > SchemaVersion.Zero ? planner.Plan(history.Applied, SchemaVersion.Zero, history) : null,
            };
            return new SandboxStepChoices(plans.OfType<MigrationPlan>()
                .SelectMany(plan => plan.Migrations)
                .SelectMany(migration => migration.Steps.Select(step => Choice(PlanDerivedChecks.StepKey(migration, step), step)))
                .ToList(), null);
        }
        catch (PlanRefusedException e)
        {
            return new SandboxStepChoices([], e.Message);
        }
    }

    private static SandboxStepChoice Choice(string key, PlannedStep step) => new(key, $"{key} · {step.Step.Description}");
}
