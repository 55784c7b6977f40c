using System.Security.Claims;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>What happens to a cookie at each request, as the user store says now.</summary>
public sealed class PortalCookieEventsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddLogging().AddPortalSecurity(new PortalMode(IsSandbox: true)).BuildServiceProvider();

    private async Task<CookieValidatePrincipalContext> ValidateAsync(IUserStore store, ClaimsPrincipal principal)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var scheme = new AuthenticationScheme(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler));
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme.Name);
        var context = new CookieValidatePrincipalContext(http, scheme, options, new AuthenticationTicket(principal, scheme.Name));
        await new PortalCookieEvents(store, NullLogger<PortalCookieEvents>.Instance).ValidatePrincipal(context);
        return context;
    }

    [Fact]
    public async Task An_enabled_user_with_the_same_role_keeps_the_cookie_as_it_is()
    {
        var olga = User("olga", Role.Operator);
        var principal = PortalPrincipal.For(olga);

        var context = await ValidateAsync(await StoreWithAsync(olga), principal);

        Assert.Same(principal, context.Principal);
        Assert.False(context.ShouldRenew);
    }

    [Fact]
    public async Task A_disabled_user_is_signed_out()
    {
        var olga = User("olga", Role.Operator);

        var context = await ValidateAsync(await StoreWithAsync(olga with { Disabled = true }), PortalPrincipal.For(olga));

        Assert.Null(context.Principal);
        Assert.Contains("botcore.portal.auth=;", context.HttpContext.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public async Task A_user_who_no_longer_exists_is_signed_out()
    {
        var context = await ValidateAsync(new InMemoryUserStore(), PortalPrincipal.For(User("olga", Role.Operator)));

        Assert.Null(context.Principal);
    }

    [Fact]
    public async Task A_changed_role_replaces_the_principal_and_renews_the_cookie()
    {
        var olga = User("olga", Role.Operator);

        var context = await ValidateAsync(await StoreWithAsync(olga with { Role = Role.Approver }), PortalPrincipal.For(olga));

        Assert.Equal("Approver", context.Principal!.FindFirstValue(ClaimTypes.Role));
        Assert.Equal("olga", context.Principal!.Identity!.Name);
        Assert.True(context.ShouldRenew);
    }

    [Fact]
    public async Task The_cookie_is_http_only_same_site_strict_and_slides_over_eight_hours()
    {
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);

        Assert.Equal("/signin", options.LoginPath);
        Assert.True(options.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, options.Cookie.SameSite);
        Assert.True(options.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(8), options.ExpireTimeSpan);
        Assert.Equal(typeof(PortalCookieEvents), options.EventsType);
        await using var scope = services.CreateAsyncScope();
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PortalCookieEvents>());
    }

    public void Dispose() => services.Dispose();
}
