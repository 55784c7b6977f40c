using System.Net;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>Security headers, the Content-Security-Policy nonce and host filtering of the portal as shipped (appsettings.json).</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed partial class HttpHardeningTests(InProcessPortal portal) : IClassFixture<InProcessPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^default-src 'self'; script-src 'self' 'nonce-([0-9A-F]{32})'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'$")]
    private static partial Regex PortalPolicy();

    [GeneratedRegex("<script type=\"importmap\" nonce=\"([^\"]*)\">")]
    private static partial Regex ImportMapScript();

    private static string NonceOf(HttpResponseMessage response)
    {
        var policies = response.Headers.GetValues("Content-Security-Policy").ToList();
        var match = Assert.Single(policies.Select(policy => PortalPolicy().Match(policy)), m => m.Success);
        // Whatever else is sent (Blazor's own frame-ancestors) must not allow more: a browser enforces every policy.
        Assert.All(policies, policy => Assert.DoesNotContain("frame-ancestors 'self'", policy));
        return match.Groups[1].Value;
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        NonceOf(response);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        // Development, over http: no HSTS (see PortalBehindProxyTests for https).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_sign_in_page_carries_the_security_headers() =>
        AssertSecurityHeaders(await portal.NewClient().GetAsync("/signin", Token));

    [Fact]
    public async Task A_page_of_a_signed_in_user_carries_the_security_headers()
    {
        using var client = await portal.SignedInAsync("ada");

        AssertSecurityHeaders(await client.GetAsync("/users", Token));
    }

    [Fact]
    public async Task Every_response_gets_a_new_nonce_which_is_the_one_on_the_import_map()
    {
        var client = portal.NewClient();

        var first = await client.GetAsync("/signin", Token);
        var second = await client.GetAsync("/signin", Token);

        var nonces = new List<string>();
        foreach (var response in new[] { first, second })
        {
            var nonce = NonceOf(response);
            var page = await response.Content.ReadAsStringAsync(Token);
            Assert.Equal(nonce, Assert.Single(ImportMapScript().Matches(page)).Groups[1].Value);
            Assert.DoesNotMatch("<script(?![^>]*(src=|type=\"importmap\" nonce=))", page);
            nonces.Add(nonce);
        }
        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [Fact]
    public async Task A_response_without_a_page_carries_the_headers_too()
    {
        var response = await portal.NewClient().GetAsync("/health", Token);

        NonceOf(response);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    /// <summary>The Set-Cookie header of the antiforgery cookie (its name carries a suffix per application).</summary>
    internal static string AntiforgeryCookieOf(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));

    [Fact]
    public async Task In_Development_over_plain_HTTP_the_antiforgery_cookie_is_not_Secure_like_the_sign_in_cookie()
    {
        var response = await portal.NewClient().GetAsync("/signin", Token);

        Assert.DoesNotContain("secure", AntiforgeryCookieOf(response), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("localhost.evil.example")]
    public async Task A_request_for_another_host_is_refused_and_never_redirected_there(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
        request.Headers.Host = host;

        var response = await portal.NewClient().SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task Without_a_configured_proxy_forwarded_headers_are_ignored_even_from_the_local_host()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
        request.Headers.Add(InProcessPortal.PeerHeader, "127.0.0.1");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var response = await portal.NewClient().SendAsync(request, Token);

        Assert.StartsWith("http://localhost/signin", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("[::1]:5000")]
    public async Task The_local_host_names_are_allowed_by_default(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
        request.Headers.Host = host;

        var response = await portal.NewClient().SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"http://{host}/signin", response.Headers.Location!.ToString());
    }
}

/// <summary>The portal behind a TLS proxy at 10.0.0.1: Production, its public name allowed, that proxy trusted.</summary>
public sealed class PortalBehindProxy : InProcessPortal
{
    public const string Proxy = "10.0.0.1";
    public const string PublicHost = "migrations.example.com";

    protected override string EnvironmentName => "Production";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["AllowedHosts"] = $"{PublicHost};localhost",
        ["Portal:ForwardedHeaders:KnownProxies:0"] = Proxy,
        ["Portal:ForwardedHeaders:KnownNetworks:0"] = "192.168.10.0/24",
    };
}

/// <summary>X-Forwarded-For and X-Forwarded-Proto, believed from a trusted proxy only; HSTS once the request came over HTTPS.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class PortalBehindProxyTests(PortalBehindProxy portal) : IClassFixture<PortalBehindProxy>
{
    private const string Client = "203.0.113.7";
    private const string Stranger = "198.51.100.9";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Action<HttpRequestMessage> Through(string peer, string? proto = null) => request =>
    {
        request.Headers.Add(InProcessPortal.PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", Client);
        if (proto is not null) request.Headers.Add("X-Forwarded-Proto", proto);
    };

    private async Task<HttpResponseMessage> GetRunsAsync(Action<HttpRequestMessage> decorate)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
        request.Headers.Host = PortalBehindProxy.PublicHost;
        decorate(request);
        return await portal.NewClient().SendAsync(request, Token);
    }

    [Theory]
    [InlineData(PortalBehindProxy.Proxy)]
    [InlineData("192.168.10.20")]
    public async Task Behind_a_trusted_proxy_the_scheme_is_https_and_HSTS_is_sent(string proxy)
    {
        var response = await GetRunsAsync(Through(proxy, "https"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"https://{PortalBehindProxy.PublicHost}/signin", response.Headers.Location!.ToString());
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Behind_TLS_the_antiforgery_cookie_is_Secure_like_the_sign_in_cookie()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Host = PortalBehindProxy.PublicHost;
        Through(PortalBehindProxy.Proxy, "https")(request);

        var response = await portal.NewClient().SendAsync(request, Token);

        Assert.Contains("secure", HttpHardeningTests.AntiforgeryCookieOf(response), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Signing_in_over_plain_HTTP_from_another_host_says_HTTPS_is_needed()
    {
        var client = portal.NewClient();
        Action<HttpRequestMessage> plainHttp = request =>
        {
            request.Headers.Host = PortalBehindProxy.PublicHost;
            request.Headers.Add(InProcessPortal.PeerHeader, Stranger);
        };

        var response = await InProcessPortal.SignInAsync(client, "ada", InProcessPortal.Password, plainHttp);

        var page = new HttpRequestMessage(HttpMethod.Get, response.Headers.Location);
        plainHttp(page);
        var shown = WebUtility.HtmlDecode(await (await client.SendAsync(page, Token)).Content.ReadAsStringAsync(Token));
        Assert.Contains(SignInMessages.For(SignInError.HttpsRequired), shown);
    }

    [Fact]
    public async Task From_anyone_else_the_forwarded_scheme_is_ignored_and_no_HSTS_is_sent_over_http()
    {
        var response = await GetRunsAsync(Through(Stranger, "https"));

        Assert.StartsWith($"http://{PortalBehindProxy.PublicHost}/signin", response.Headers.Location!.ToString());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_audit_log_has_the_clients_address()
    {
        await InProcessPortal.SignInAsync(portal.NewClient(), "nobody-via-proxy", "not the password", Through(PortalBehindProxy.Proxy));

        var failed = Assert.Single(portal.Audit.Records, r => r.User == "nobody-via-proxy");
        Assert.Equal((AuditActions.SignInFailed, $"unknown user from {Client}"), (failed.Action, failed.Details));
    }

    [Fact]
    public async Task From_anyone_else_the_audit_log_has_the_connections_address()
    {
        await InProcessPortal.SignInAsync(portal.NewClient(), "nobody-direct", "not the password", Through(Stranger));

        var failed = Assert.Single(portal.Audit.Records, r => r.User == "nobody-direct");
        Assert.Equal($"unknown user from {Stranger}", failed.Details);
    }
}
