using System.Net;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Http;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>When signing in over plain HTTP is refused: by the host the browser shows, which decides whether it keeps the cookie.</summary>
public sealed class CookieSecurityTests
{
    private static HttpRequest Request(string scheme, string host, string peer)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        return context.Request;
    }

    [Theory]
    [InlineData("https", "migrations.example.com", "203.0.113.7")]
    [InlineData("http", "localhost:8080", "127.0.0.1")]
    [InlineData("http", "[::1]:5000", "::1")]
    // A browser at http://localhost:8080 behind Docker's port mapping: the connection comes from the bridge's gateway.
    [InlineData("http", "localhost:8080", "172.17.0.1")]
    public void A_browser_that_keeps_the_Secure_cookie_may_sign_in(string scheme, string host, string peer) =>
        Assert.True(new CookieSecurity(httpsOnly: true).MaySignInOver(Request(scheme, host, peer)));

    [Theory]
    [InlineData("migrations.example.com", "203.0.113.7")]
    // Through a plain-HTTP proxy on this machine: the connection is local, the browser is not, and would drop the cookie.
    [InlineData("migrations.example.com", "127.0.0.1")]
    public void Plain_HTTP_to_a_name_other_than_the_local_host_is_refused(string host, string peer) =>
        Assert.False(new CookieSecurity(httpsOnly: true).MaySignInOver(Request("http", host, peer)));

    [Fact]
    public void In_Development_plain_HTTP_is_fine_from_anywhere() =>
        Assert.True(new CookieSecurity(httpsOnly: false).MaySignInOver(Request("http", "migrations.example.com", "203.0.113.7")));
}
