using BotCore.MigrationPortal.Components.Pages.Tokens;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security.Tokens;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Security;

/// <summary>The token store does not answer when My tokens opens: the page says so in one sentence instead of breaking its circuit.</summary>
public sealed class TokensPageOutageTests : PortalPageContext
{
    public TokensPageOutageTests() => Services.AddSingleton<IApiTokenStore>(new UnreachableTokenStore());

    [Fact]
    public void A_token_store_that_does_not_answer_is_a_sentence_on_the_page()
    {
        var page = RenderPage<TokensPage>();

        var problem = page.WaitForElement("[data-testid=tokens-problem]", Patience);
        Assert.StartsWith("The portal store could not be used: no server answered in time.", problem.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=tokens-table]"));
    }

    /// <summary>Each call fails as the driver does when no server answers, through the translation the MongoDB stores use.</summary>
    private sealed class UnreachableTokenStore : IApiTokenStore
    {
        public Task InsertAsync(ApiToken token, CancellationToken cancellationToken) => Down<bool>();
        public Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken) => Down<ApiToken?>();
        public Task<ApiToken?> FindByHashAsync(string hash, CancellationToken cancellationToken) => Down<ApiToken?>();
        public Task<IReadOnlyList<ApiToken>> ListForOwnerAsync(string owner, CancellationToken cancellationToken) => Down<IReadOnlyList<ApiToken>>();
        public Task<bool> TryRevokeAsync(string id, string by, DateTime at, CancellationToken cancellationToken) => Down<bool>();
        public Task<bool> TryRecordUseAsync(string id, DateTime at, string client, DateTime notSince, CancellationToken cancellationToken) => Down<bool>();

        private static Task<T> Down<T>() =>
            PortalStoreFailures.GuardAsync(() => Task.FromException<T>(new TimeoutException("A timeout occurred after 30000ms selecting a server.")));
    }
}
