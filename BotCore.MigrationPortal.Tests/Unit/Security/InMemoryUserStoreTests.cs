using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class InMemoryUserStoreTests : SecurityUserStoreContract
{
    protected override IUserStore NewStore() => new InMemoryUserStore();
}
