using System.Net;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>An unknown address: the portal's own page in its layout, with the address and a way back, and status 404.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class NotFoundPageTests(InProcessPortal portal) : IClassFixture<InProcessPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_in_person_at_an_unknown_address_gets_the_portals_404_page()
    {
        var client = await portal.SignedInAsync("olga");

        var response = await client.GetAsync("/no/such/page?x=1", Token);
        var html = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("""data-testid="not-found"[^>]*>No page at <span class="mono">/no/such/page\?x=1</span></h1>""", html);
        Assert.Contains("""href="/" data-testid="not-found-dashboard""", html);
        Assert.Contains("BotCore Migration Portal", html);
        Assert.Contains("signed-in-user", html);
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_first_so_that_no_address_is_revealed()
    {
        var response = await portal.NewClient().GetAsync("/no/such/page", Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task An_endpoint_that_answers_404_itself_keeps_its_own_answer()
    {
        var client = await portal.SignedInAsync("olga");

        var response = await client.GetAsync("/backups/no-such-backup/manifest.json", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
