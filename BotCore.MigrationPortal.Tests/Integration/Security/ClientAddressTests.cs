using System.Net;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Tests.Integration.Hosting;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>
/// Who a sign-in comes from, for the lockout and the rate limit: an IPv6 subscriber holds a whole /64, so its addresses are
/// one client; otherwise each new address would be a fresh start.
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class ClientAddressTests(InProcessPortal portal) : IClassFixture<InProcessPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Action<HttpRequestMessage> From(string address) => request => request.Headers.Add(InProcessPortal.PeerHeader, address);

    private static bool SignedIn(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("botcore.portal.auth=", StringComparison.Ordinal));

    [Fact]
    public async Task Wrong_passwords_from_addresses_of_one_IPv6_64_lock_the_account_for_that_whole_network_only()
    {
        for (var i = 1; i <= 5; i++) await InProcessPortal.SignInAsync(portal.NewClient(), "alice", $"guess {i}", From($"2001:db8:1:2::{i:x}"));

        var sameNetwork = await InProcessPortal.SignInAsync(portal.NewClient(), "alice", InProcessPortal.Password, From("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        var otherNetwork = await InProcessPortal.SignInAsync(portal.NewClient(), "alice", InProcessPortal.Password, From("2001:db8:1:3::1"));

        Assert.False(SignedIn(sameNetwork));
        Assert.True(SignedIn(otherNetwork));
        Assert.Contains(portal.Audit.Records, r => r.User == "alice" && r.Action == AuditActions.SignInFailed
            && r.Details.StartsWith("account locked for 2001:db8:1:2::/64 until", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sign_in_rate_limit_counts_the_addresses_of_one_IPv6_64_together()
    {
        for (var i = 1; i <= 10; i++)
        {
            var response = await InProcessPortal.SignInAsync(portal.NewClient(), "nobody-v6", "guess", From($"2001:db8:7:7::{i:x}"));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var sameNetwork = await InProcessPortal.SignInAsync(portal.NewClient(), "nobody-v6", "guess", From("2001:db8:7:7::99"));
        var otherNetwork = await InProcessPortal.SignInAsync(portal.NewClient(), "nobody-v6", "guess", From("2001:db8:7:8::1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, otherNetwork.StatusCode);
    }

    [Fact]
    public async Task An_IPv4_client_is_still_one_address()
    {
        for (var i = 1; i <= 5; i++) await InProcessPortal.SignInAsync(portal.NewClient(), "bob", $"guess {i}", From("198.51.100.7"));

        Assert.False(SignedIn(await InProcessPortal.SignInAsync(portal.NewClient(), "bob", InProcessPortal.Password, From("198.51.100.7"))));
        Assert.True(SignedIn(await InProcessPortal.SignInAsync(portal.NewClient(), "bob", InProcessPortal.Password, From("198.51.100.8"))));
    }
}
