using System.Net;
using BotCore.MigrationPortal.Tests.Integration.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>The sandbox portal in process on a clock the test moves: the cookie's handler and the session check both read it.</summary>
public sealed class PortalOnAFakeClock : InProcessPortal
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

/// <summary>
/// How long a sign-in lasts over HTTP (README "Sessions end when they should"): 60 idle minutes, 12 hours however active.
/// Each test signs in its own user, so that moving the shared clock cannot end another test's session unnoticed.
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class SessionLifetimeTests(PortalOnAFakeClock portal) : IClassFixture<PortalOnAFakeClock>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<HttpStatusCode> ReadAsync(HttpClient client) => (await client.GetAsync("/audit/export.csv", Token)).StatusCode;

    [Fact]
    public async Task A_cookie_left_idle_longer_than_an_hour_is_refused()
    {
        using var client = await portal.SignedInAsync("olga");
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client));

        portal.Time.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal(HttpStatusCode.Redirect, await ReadAsync(client));
    }

    [Fact]
    public async Task An_active_session_slides_past_the_idle_hour_but_ends_after_twelve_hours()
    {
        using var client = await portal.SignedInAsync("alice");
        var elapsed = TimeSpan.Zero;

        // A request every 50 minutes keeps the cookie alive (each renews it) until the session's maximum age.
        while (elapsed + TimeSpan.FromMinutes(50) < TimeSpan.FromHours(12))
        {
            portal.Time.Advance(TimeSpan.FromMinutes(50));
            elapsed += TimeSpan.FromMinutes(50);
            Assert.True(await ReadAsync(client) == HttpStatusCode.OK, $"refused after {elapsed} of activity");
        }
        portal.Time.Advance(TimeSpan.FromMinutes(50));

        Assert.Equal(HttpStatusCode.Redirect, await ReadAsync(client));
    }
}
