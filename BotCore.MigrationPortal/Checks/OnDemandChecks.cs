using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// A check run by a person from the checks page (or the API, or the command line). Checks only read, so any signed-in person may run
/// them (as the page says), but running one loads the target (on Production too): it is an act, done by the person as the store knows
/// them at that moment and audited with its outcome.
/// </summary>
public sealed class OnDemandChecks(IIntegrityChecks checks, MigrationPlanner planner, ActionAuthorizer authorizer, IAuditLog audit, ILogger<OnDemandChecks> logger)
{
    /// <summary>
    /// The plan a phase's checks look at, wherever they are run from: the pre-migration checks, the plan from the applied version to
    /// <paramref name="to"/>; the post-migration checks, what the database should be at its applied version (everything up to it).
    /// </summary>
    public MigrationPlan PlanFor(CheckPhase phase, TargetHistory history, SchemaVersion to) => phase == CheckPhase.PreMigration
        ? planner.Plan(history.Applied, to, history)
        : planner.Plan(SchemaVersion.Zero, history.Applied);

    /// <summary>Every check of <paramref name="phase"/> for <paramref name="plan"/>, one after the other, each as <see cref="RunAsync"/> runs it.</summary>
    public async Task<IReadOnlyList<CheckResult>> RunPhaseAsync(Caller caller, CheckPhase phase, IMigrationTarget target, MigrationPlan plan,
        CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        foreach (var check in checks.Describe(plan).Where(c => c.Phase == phase))
        {
            results.Add(await RunAsync(caller, check.Id, target, plan, cancellationToken));
        }
        return results;
    }

    /// <inheritdoc cref="IIntegrityChecks.RunOneAsync"/>
    public async Task<CheckResult> RunAsync(Caller caller, string checkId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var actor = await authorizer.ActorAsync(caller, $"run check {checkId} on {target.Name}", cancellationToken);
        logger.LogInformation("{User} runs integrity check {CheckId} on {Target} for {From} → {To}", actor.Name, checkId, target.Name, plan.From, plan.To);
        var result = await checks.RunOneAsync(checkId, target, plan, cancellationToken);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.ChecksRun,
            $"{result.Name} for {plan.From} → {plan.To}: {result.Verdict}, {result.Summary}", target.Name), cancellationToken);
        return result;
    }
}
