using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Tests.Unit.Audit;

namespace BotCore.MigrationPortal.Tests.Integration.Audit;

/// <summary>The store contract against a real MongoDB 7 (skipped, with the reason, where there is none).</summary>
public sealed class MongoAuditStoreContractTests(MongoFixture mongo) : AuditStoreContract
{
    protected override IAuditStore CreateStore() => new MongoAuditStore(mongo.NewStoreDatabase());
}
