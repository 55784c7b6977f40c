using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class AuditVerifierTests
{
    [Fact]
    public async Task Verifying_is_recorded_with_who_verified_and_the_result()
    {
        var token = TestContext.Current.CancellationToken;
        var store = new InMemoryAuditStore();
        foreach (var entry in AuditTestData.Chain(3)) await store.TryAppendAsync(entry, token);
        var log = new HashChainedAuditLog(store, TimeProvider.System, NullLogger<HashChainedAuditLog>.Instance);
        var verifier = new AuditVerifier(store, log, TestAuthorization.Over(TestPeople.NewStore(), log));

        var report = await verifier.VerifyAsync(TestPeople.Victor, token);

        Assert.Equal("Chain intact, 3 entries.", report.Summary);
        var recorded = (await store.LastAsync(token))!;
        Assert.Equal((4L, "victor", "Viewer", AuditActions.AuditVerified, "Chain intact, 3 entries."),
            (recorded.Sequence, recorded.User, recorded.Role, recorded.Action, recorded.Details));
    }
}
