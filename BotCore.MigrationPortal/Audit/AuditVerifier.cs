using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Audit;

/// <summary>The "verify" action: walks the stored chain and records who verified it and what was found.</summary>
public sealed class AuditVerifier(IAuditStore store, IAuditLog auditLog, ActionAuthorizer authorizer)
{
    public async Task<AuditChainReport> VerifyAsync(Caller caller, CancellationToken cancellationToken)
    {
        // Any signed-in person may verify: the chain is there to be checked by whoever doubts it.
        var actor = await authorizer.ActorAsync(caller, "verify the audit chain", cancellationToken);
        var report = await AuditChain.VerifyAsync(store.ReadChainAsync(cancellationToken), cancellationToken);
        await auditLog.RecordAsync(AuditRecord.By(actor, AuditActions.AuditVerified, report.Summary), cancellationToken);
        return report;
    }
}
