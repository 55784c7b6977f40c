using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// What an Admin does with the dashboard's sandbox faults control. Each change reads the person from the store and asks
/// <see cref="SandboxFaultRules"/> at that moment, whatever the page showed, and is audited.
/// </summary>
public sealed class SandboxFaultRequests(SandboxFaults faults, SandboxFaultChoices choices, TargetRegistry targets, ActionAuthorizer authorizer, IAuditLog audit)
{
    /// <summary>Arms <paramref name="wanted"/> on the target in place of what was armed there; <see cref="SandboxFaultSet.None"/> clears.</summary>
    /// <returns>The faults as armed.</returns>
    /// <exception cref="ActionRefusedException">The caller may not (the refusal is audited).</exception>
    /// <exception cref="BadInputException">An unknown target, step or check, or a batch out of range.</exception>
    public async Task<SandboxFaultSet> ArmAsync(Caller caller, string target, SandboxFaultSet wanted, CancellationToken cancellationToken)
    {
        var descriptor = targets.All.FirstOrDefault(t => string.Equals(t.Name, target, StringComparison.OrdinalIgnoreCase))
            ?? throw new BadInputException($"There is no target '{target}'. Configured targets: {string.Join(", ", targets.All.Select(t => t.Name))}.");
        var actor = await authorizer.AuthorizeAsync(caller, SandboxFaultRules.Describe(descriptor.Name), a => SandboxFaultRules.Check(a, descriptor),
            cancellationToken, descriptor.Name);
        if (wanted.PostCheck is { } check && !string.IsNullOrWhiteSpace(check) && choices.PostChecks.All(c => c.Id != check.Trim()))
        {
            throw new BadInputException($"There is no post-migration check '{check}': name one the Integrity checks page lists, such as '{choices.PostChecks[0].Id}'.");
        }
        var armed = faults.Arm(descriptor.Name, wanted, actor.Name);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.SandboxFaultsChanged, armed.IsEmpty
            ? $"cleared the sandbox faults of {descriptor.Name}"
            : $"armed sandbox faults on {descriptor.Name}: {armed.Describe()}; each fires once, then clears itself", descriptor.Name), cancellationToken);
        return armed;
    }
}
