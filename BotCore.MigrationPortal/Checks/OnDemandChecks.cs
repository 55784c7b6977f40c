using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// A check run by a person from the checks page. Checks only read, so any signed-in person may run them (as the page says),
/// but running one loads the target (on Production too): it is an act, done by the person as the store knows them at that
/// moment and audited with its outcome.
/// </summary>
public sealed class OnDemandChecks(IIntegrityChecks checks, ActionAuthorizer authorizer, IAuditLog audit, ILogger<OnDemandChecks> logger)
{
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
