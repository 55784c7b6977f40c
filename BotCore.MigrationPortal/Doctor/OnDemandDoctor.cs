using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>
/// "Check target" on the dashboard: done by the person as the store knows them at that moment (<see cref="DoctorRules"/>),
/// audited with its outcome, and kept as the target's last check-up.
/// </summary>
public sealed class OnDemandDoctor(TargetDoctor doctor, DoctorResults results, ActionAuthorizer authorizer, IAuditLog audit, ILogger<OnDemandDoctor> logger)
{
    public async Task<DoctorReport> CheckAsync(Caller caller, string target, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, $"check target {target}", DoctorRules.CheckTarget, cancellationToken, target);
        logger.LogInformation("{User} checks target {Target}", actor.Name, target);
        var report = await doctor.ExamineAsync(target, actor.Name, cancellationToken);
        results.Record(report);
        var notPassed = report.Lines.Where(l => l.Outcome != DoctorOutcome.Pass).Select(l => $"{l.Id} {l.Outcome.ToString().ToLowerInvariant()}");
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.TargetChecked,
            $"doctor: {report.Summary}" + (report.Unreachable is null && report.Worst != DoctorOutcome.Pass ? $" ({string.Join(", ", notPassed)})" : ""), report.Target.Name),
            cancellationToken);
        return report;
    }
}
