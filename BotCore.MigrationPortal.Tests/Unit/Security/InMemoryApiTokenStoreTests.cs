using BotCore.MigrationPortal.Security.Tokens;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class InMemoryApiTokenStoreTests : ApiTokenStoreContract
{
    protected override Task<IApiTokenStore> NewStoreAsync() => Task.FromResult<IApiTokenStore>(new InMemoryApiTokenStore());

    [Fact]
    public async Task Two_tokens_never_share_a_hash()
    {
        var store = new InMemoryApiTokenStore();
        var token = NewToken("a1");
        await store.InsertAsync(token, Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InsertAsync(NewToken("a2") with { Hash = token.Hash }, Token));
    }
}
