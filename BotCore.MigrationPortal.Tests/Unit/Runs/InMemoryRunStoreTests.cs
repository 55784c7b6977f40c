using BotCore.MigrationPortal.Runs.Store;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

public sealed class InMemoryRunStoreTests : RunStoreContract
{
    protected override Task<IRunStore> CreateStoreAsync() => Task.FromResult<IRunStore>(new InMemoryRunStore());
}
