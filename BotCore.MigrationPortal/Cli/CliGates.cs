using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Checks.Pre;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Cli;

/// <summary>
/// What <c>up</c> and <c>down</c> pass on a Staging or Production target before any step runs, as a portal run passes its checklist:
/// the blocking pre-migration checks, then a backup of the whole database, verified. Each refusal names what failed and is audited
/// (<see cref="ActionAuthorizer"/>); going without the backup needs a written reason, which is audited.
/// </summary>
public sealed class CliGates(IIntegrityChecks checks, IBackupService backups, ActionAuthorizer authorizer, IAuditLog audit, CliProgress progress, CliConsole console,
    TimeProvider time)
{
    /// <summary>The tiers whose command-line runs pass the gates (issue 9): a Development target is the developer's own.</summary>
    public static bool Apply(TargetTier tier) => tier is TargetTier.Staging or TargetTier.Production;

    /// <summary>
    /// Whether the plan applies the contract of an expand-contract change: its gate is passed on every tier, a Development target's too,
    /// because a contract drops a field for good and a developer's database holds data someone wrote.
    /// </summary>
    public static bool HasContract(MigrationPlan plan) => ContractGateCheck.ContractsOf(plan).Any();

    /// <summary>On a target without gates: only the contract gates of the plan (<see cref="HasContract"/>), refused as <see cref="PassAsync"/> refuses.</summary>
    /// <exception cref="ActionRefusedException">A contract's gate failed; the message names it.</exception>
    public async Task<GatesPassed> PassContractGatesAsync(IMigrationTarget target, MigrationPlan plan, string runId, CancellationToken cancellationToken)
    {
        console.Out.WriteLine($"Contract gates on {target.Name} ({target.Tier}):");
        var results = (await checks.RunPreMigrationAsync(target, plan, cancellationToken))
            .Where(r => r.CheckId.StartsWith(ContractGateCheck.IdPrefix, StringComparison.Ordinal)).ToList();
        await RefuseBlockingAsync(target, plan, runId, results, cancellationToken);
        return new GatesPassed($"contract gates passed (no other gates on a {target.Tier} target)", Recorded(results));
    }

    /// <summary>Refuses, audited, to run without a backup unless the reason is written down (<see cref="FreeText.Reason"/>).</summary>
    /// <returns>The reason, trimmed.</returns>
    public async Task<string> SkipReasonAsync(string target, string? reason, CancellationToken cancellationToken)
    {
        var attempted = $"run on {target} without a backup";
        try
        {
            return FreeText.Reason(reason, "running without a backup (--skip-backup --reason \"...\")");
        }
        catch (ActionRefusedException e)
        {
            await authorizer.RequireAsync(CliIdentity.Actor, Verdict.No(e.Message), attempted, cancellationToken, target);
            throw;
        }
    }

    /// <param name="skipReason">Null to take and verify a backup; otherwise the written reason for going without (audited).</param>
    /// <returns>What passed, for the run's history ("pre-checks passed; backup B verified"), and each check, for its pre-checks table.</returns>
    /// <exception cref="ActionRefusedException">A blocking check failed, or the backup did not verify; the message names it.</exception>
    public async Task<GatesPassed> PassAsync(IMigrationTarget target, MigrationPlan plan, string runId, string? skipReason, CancellationToken cancellationToken)
    {
        var attempted = Attempted(target, plan);
        console.Out.WriteLine($"Pre-migration checks on {target.Name} ({target.Tier}):");
        var results = await checks.RunPreMigrationAsync(target, plan, cancellationToken);
        await RefuseBlockingAsync(target, plan, runId, results, cancellationToken);
        if (skipReason is not null)
        {
            await audit.RecordAsync(AuditRecord.By(CliIdentity.Actor, AuditActions.BackupSkipped, $"{attempted} from the command line without a backup: {skipReason}",
                target.Name, runId), cancellationToken);
            console.Out.WriteLine($"No backup taken (--skip-backup): {skipReason}");
            return new GatesPassed($"pre-checks passed; no backup: {skipReason}", Recorded(results));
        }
        var backup = await progress.RunAsync(false, events => backups.CreateAsync(CliIdentity.Caller, target.Name, null, runId, events, cancellationToken));
        var verified = await progress.RunAsync(false, events => backups.VerifyAsync(CliIdentity.Caller, backup.Id, events, cancellationToken));
        if (!verified.IsVerified)
        {
            await authorizer.RequireAsync(CliIdentity.Actor,
                Verdict.No($"Refused: backup {backup.Id} of {target.Name} failed verification ({BackupText.Verification(verified).Trim()}). Nothing was run."),
                attempted, cancellationToken, target.Name, runId);
        }
        console.Out.WriteLine($"Backup {backup.Id} taken and verified.");
        return new GatesPassed($"pre-checks passed; backup {backup.Id} verified", Recorded(results));
    }

    private static string Attempted(IMigrationTarget target, MigrationPlan plan) => $"{plan.Direction.Name()} {plan.From} → {plan.To} on {target.Name}";

    /// <summary>Prints the checks, audits that they ran, and refuses (audited) on the first blocking one, naming it.</summary>
    private async Task RefuseBlockingAsync(IMigrationTarget target, MigrationPlan plan, string runId, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        var attempted = Attempted(target, plan);
        foreach (var result in results) console.Out.WriteLine($"  {result.Verdict,-9} {result.Name}: {result.Summary}");
        var blocking = results.Where(r => r.Blocks).ToList();
        await audit.RecordAsync(AuditRecord.By(CliIdentity.Actor, AuditActions.PreChecksRun,
            $"{attempted} from the command line: " + (blocking.Count == 0 ? "no blocking pre-check fails" : $"{Counted.Of(blocking.Count, "blocking pre-check")} failed"),
            target.Name, runId), cancellationToken);
        if (blocking.FirstOrDefault() is { } failed)
        {
            await authorizer.RequireAsync(CliIdentity.Actor, Verdict.No($"Refused: the blocking pre-check '{failed.Name}' failed on {target.Name}: {failed.Summary}. Nothing was run."),
                attempted, cancellationToken, target.Name, runId);
        }
    }

    private IReadOnlyList<RecordedCheck> Recorded(IReadOnlyList<CheckResult> results)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return results.Select(r => RecordedCheck.Of(r, now)).ToList();
    }
}

/// <summary>What the gates let through: the words for the run's history, and the pre-checks as they ran.</summary>
public sealed record GatesPassed(string Summary, IReadOnlyList<RecordedCheck> Checks);
