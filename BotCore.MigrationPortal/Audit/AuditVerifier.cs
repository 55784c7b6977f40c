using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Audit;

/// <summary>The "verify" action: walks the stored chain and records who verified it and what was found.</summary>
public sealed class AuditVerifier(IAuditStore store, IAuditLog auditLog)
{
    public async Task<AuditChainReport> VerifyAsync(Actor actor, CancellationToken cancellationToken)
    {
        var report = await AuditChain.VerifyAsync(store.ReadChainAsync(cancellationToken), cancellationToken);
        await auditLog.RecordAsync(AuditRecord.By(actor, AuditActions.AuditVerified, report.Summary), cancellationToken);
        return report;
    }
}
