using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class InMemoryAuditStoreTests : AuditStoreContract
{
    protected override IAuditStore CreateStore() => new InMemoryAuditStore();
}
