using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Tokens;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Security;

/// <summary>The My tokens page: a token's secret is shown once, tokens are listed and revoked, and a stale page cannot make a token above the person's role now.</summary>
public sealed class TokensPageTests : PortalPageContext
{
    private IApiTokenStore Store => Services.GetRequiredService<IApiTokenStore>();

    private RecordingAuditLog Audit => Services.GetRequiredService<RecordingAuditLog>();

    private async Task<IRenderedComponent<TokensPage>> OpenAsync(string name)
    {
        var page = RenderPage<TokensPage>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=create-token]").HasAttribute("disabled")), Patience);
        await page.Find("input[data-testid=token-name]").InputAsync(new() { Value = name });
        return page;
    }

    [Fact]
    public async Task Creating_a_token_shows_its_secret_once_keeps_only_its_hash_and_lists_it()
    {
        var page = await OpenAsync("deploy pipeline");

        await page.Find("[data-testid=create-token]").ClickAsync(new());

        var secret = page.WaitForElement("[data-testid=new-token-secret]", Patience).TextContent.Trim();
        Assert.Matches("^bcp_[A-Za-z0-9_-]{43}$", secret);
        var stored = Assert.Single(await Store.ListForOwnerAsync("olga", Token));
        Assert.Equal(("deploy pipeline", Role.Operator, ApiTokenSecret.HashOf(secret)), (stored.Name, stored.Role, stored.Hash));
        Assert.Equal(stored.CreatedAt.AddDays(30), stored.ExpiresAt);
        page.WaitForAssertion(() => Assert.Equal(["deploy pipeline", "Operator", "Active"], RowsOf(page.Find("[data-testid=tokens-table]"))[0].Take(3)), Patience);
        Assert.Contains(Audit.Records, r => r is { User: "olga", Action: AuditActions.ApiTokenCreated } && r.Details.Contains(stored.Id, StringComparison.Ordinal));

        await page.Find("[data-testid=dismiss-token]").ClickAsync(new());
        Assert.Empty(page.FindAll("[data-testid=new-token-secret]"));
        var reopened = Render<TokensPage>();
        reopened.WaitForAssertion(() => Assert.Single(reopened.FindAll("[data-testid=tokens-table]")), Patience);
        Assert.DoesNotContain(secret, reopened.Markup);
    }

    [Fact]
    public async Task The_roles_offered_stop_at_the_persons_own()
    {
        var page = await OpenAsync("ci");

        var offered = await ChooseAsync(page, "Role", "Viewer");

        Assert.Equal(["Viewer", "Operator"], offered);
    }

    [Fact]
    public async Task Revoking_a_token_asks_first_then_marks_it_revoked()
    {
        var created = await Services.GetRequiredService<ApiTokens>().CreateAsync(new UserCaller("olga"), "nightly", Role.Viewer, 7, Token);
        var page = RenderPage<TokensPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll($"[data-testid=revoke-{created.Token.Id}]")), Patience);

        var click = page.Find($"[data-testid=revoke-{created.Token.Id}]").ClickAsync(new());
        var dialog = Dialogs.WaitForElement(".mud-dialog", Patience);
        Assert.Contains("Revoke token 'nightly'?", TextOf(dialog));
        await ClickButtonAsync(dialog, "Revoke");
        await click;

        WaitForSnackbar("Token 'nightly' is revoked.");
        Assert.True((await Store.FindAsync(created.Token.Id, Token))!.IsRevoked);
        page.WaitForAssertion(() => Assert.Equal("Revoked", RowsOf(page.Find("[data-testid=tokens-table]"))[0][2]), Patience);
        Assert.Empty(page.FindAll($"[data-testid=revoke-{created.Token.Id}]"));
    }

    [Fact]
    public async Task Creating_a_token_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var page = await OpenAsync("deploy pipeline");
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(Olga.Name, Token))! with { Role = Role.Viewer }, Token);

        await page.Find("[data-testid=create-token]").ClickAsync(new());

        WaitForSnackbar("olga (Viewer) may not create a token with the Operator role: a token's role is at most its creator's.");
        Assert.Empty(page.FindAll("[data-testid=new-token-secret]"));
        Assert.Empty(await Store.ListForOwnerAsync("olga", Token));
        var refused = Assert.Single(Audit.Records, r => r.Action == AuditActions.ActionRefused);
        Assert.Equal(("olga", "tried to create an API token with the Operator role"), (refused.User, refused.Details.Split(':')[0]));
    }

    [Fact]
    public async Task Revoking_on_a_page_opened_before_the_account_was_disabled_is_refused_and_audited()
    {
        var created = await Services.GetRequiredService<ApiTokens>().CreateAsync(new UserCaller("olga"), "nightly", Role.Viewer, 7, Token);
        var page = RenderPage<TokensPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll($"[data-testid=revoke-{created.Token.Id}]")), Patience);
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(Olga.Name, Token))! with { Disabled = true }, Token);

        var click = page.Find($"[data-testid=revoke-{created.Token.Id}]").ClickAsync(new());
        await ClickButtonAsync(Dialogs.WaitForElement(".mud-dialog", Patience), "Revoke");
        await click;

        WaitForSnackbar("The account 'olga' is disabled.");
        Assert.False((await Store.FindAsync(created.Token.Id, Token))!.IsRevoked);
        Assert.DoesNotContain(Audit.Records, r => r.Action == AuditActions.ApiTokenRevoked);
        var refused = Assert.Single(Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith("tried to revoke", StringComparison.Ordinal));
        Assert.Equal(("olga", $"tried to revoke the API token {created.Token.Id}"), (refused.User, refused.Details.Split(':')[0]));
    }

    [Fact]
    public async Task A_token_without_a_name_is_refused_with_a_sentence()
    {
        var page = await OpenAsync("   ");

        await page.Find("[data-testid=create-token]").ClickAsync(new());

        WaitForSnackbar("Name the token");
        Assert.Empty(await Store.ListForOwnerAsync("olga", Token));
    }
}
