using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>What every <see cref="IApiTokenStore"/> must do, run against each implementation.</summary>
public abstract class ApiTokenStoreContract
{
    protected static readonly DateTime At = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract Task<IApiTokenStore> NewStoreAsync();

    protected static ApiToken NewToken(string id, string owner = "olga", DateTime? created = null) => new()
    {
        Id = id, Owner = owner, Name = $"token {id}", Role = Role.Operator, Hash = ApiTokenSecret.HashOf(ApiTokenSecret.New()),
        CreatedAt = created ?? At, ExpiresAt = (created ?? At).AddDays(30),
    };

    [Fact]
    public async Task A_second_token_with_the_same_secret_or_id_is_refused_in_the_same_words_by_every_store()
    {
        var store = await NewStoreAsync();
        var token = NewToken("a1");
        await store.InsertAsync(token, Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InsertAsync(NewToken("a2") with { Hash = token.Hash }, Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InsertAsync(NewToken("a1"), Token));
        Assert.Single(await store.ListForOwnerAsync("olga", Token));
    }

    [Fact]
    public async Task A_token_is_found_by_id_and_by_hash_and_reads_back_unchanged()
    {
        var store = await NewStoreAsync();
        var token = NewToken("a1");

        await store.InsertAsync(token, Token);

        Assert.Equal(token, await store.FindAsync("a1", Token));
        Assert.Equal(token, await store.FindByHashAsync(token.Hash, Token));
        Assert.Null(await store.FindByHashAsync(ApiTokenSecret.HashOf("bcp_other"), Token));
        Assert.Null(await store.FindAsync("a2", Token));
    }

    [Fact]
    public async Task A_persons_tokens_are_listed_newest_first_and_nobody_elses()
    {
        var store = await NewStoreAsync();
        await store.InsertAsync(NewToken("old", created: At.AddDays(-2)), Token);
        await store.InsertAsync(NewToken("new", created: At), Token);
        await store.InsertAsync(NewToken("bobs", owner: "bob"), Token);

        Assert.Equal(["new", "old"], (await store.ListForOwnerAsync("olga", Token)).Select(t => t.Id));
    }

    [Fact]
    public async Task A_token_is_revoked_once()
    {
        var store = await NewStoreAsync();
        await store.InsertAsync(NewToken("a1"), Token);

        Assert.True(await store.TryRevokeAsync("a1", "olga", At, Token));
        Assert.False(await store.TryRevokeAsync("a1", "ada", At.AddMinutes(1), Token));

        var revoked = (await store.FindAsync("a1", Token))!;
        Assert.Equal(("olga", At), (revoked.RevokedBy, revoked.RevokedAt));
        Assert.False(await store.TryRevokeAsync("nope", "olga", At, Token));
    }

    [Fact]
    public async Task A_use_is_recorded_at_most_once_in_each_interval()
    {
        var store = await NewStoreAsync();
        await store.InsertAsync(NewToken("a1"), Token);

        Assert.True(await store.TryRecordUseAsync("a1", At, "203.0.113.7", At.AddMinutes(-1), Token));
        Assert.False(await store.TryRecordUseAsync("a1", At.AddSeconds(30), "203.0.113.8", At.AddSeconds(-30), Token));
        Assert.True(await store.TryRecordUseAsync("a1", At.AddMinutes(1), "203.0.113.9", At, Token));

        var used = (await store.FindAsync("a1", Token))!;
        Assert.Equal((At.AddMinutes(1), "203.0.113.9"), (used.LastUsedAt, used.LastUsedFrom));
    }
}
