using System.Security.Claims;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Sessions;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>What happens to a cookie at each request: its session must still hold (see <see cref="SessionValidator"/>).</summary>
public sealed class PortalCookieEventsTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly ServiceProvider services = new ServiceCollection().AddLogging()
        .AddPortalSecurity(TestPortal.Configuration(), TestPortal.Environment, new PortalMode(IsSandbox: true))
        .AddAuditLog(new PortalMode(IsSandbox: true)).BuildServiceProvider();

    private readonly FakeTimeProvider time = new(Now);
    private readonly RecordingAuditLog audit = new();
    private readonly InMemoryEndedSessionStore ended;

    public PortalCookieEventsTests() => ended = new InMemoryEndedSessionStore(time);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SessionClaims SessionOf(PortalUser user, DateTime? startedAt = null) => new(user.Name, "session-1", user.SecurityStamp!, startedAt ?? Now);

    private async Task<CookieValidatePrincipalContext> ValidateAsync(IUserStore store, ClaimsPrincipal principal)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var scheme = new AuthenticationScheme(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler));
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme.Name);
        var context = new CookieValidatePrincipalContext(http, scheme, options, new AuthenticationTicket(principal, scheme.Name));
        var events = new PortalCookieEvents(TestAuthorization.Sessions(store, time, ended), audit,
            new SignInErrors(services.GetRequiredService<IDataProtectionProvider>()), NullLogger<PortalCookieEvents>.Instance);
        await events.ValidatePrincipal(context);
        return context;
    }

    private static void AssertSignedOut(CookieValidatePrincipalContext context)
    {
        Assert.Null(context.Principal);
        Assert.Contains($"{SecurityServices.AuthCookieName}=;", context.HttpContext.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public async Task A_session_that_holds_keeps_its_cookie_as_it_is()
    {
        var olga = User("olga", Role.Operator);
        var principal = PortalPrincipal.For(olga, SessionOf(olga));

        var context = await ValidateAsync(await StoreWithAsync(olga), principal);

        Assert.Same(principal, context.Principal);
        Assert.Empty(audit.Records);
    }

    [Fact]
    public async Task A_disabled_user_is_signed_out_and_the_refusal_audited()
    {
        var olga = User("olga", Role.Operator);

        var context = await ValidateAsync(await StoreWithAsync(olga with { Disabled = true }), PortalPrincipal.For(olga, SessionOf(olga)));

        AssertSignedOut(context);
        var record = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.SessionRefused, "olga"), (record.Action, record.User));
        Assert.Contains("disabled", record.Details);
    }

    [Fact]
    public async Task A_user_who_no_longer_exists_is_signed_out()
    {
        var olga = User("olga", Role.Operator);

        AssertSignedOut(await ValidateAsync(new InMemoryUserStore(), PortalPrincipal.For(olga, SessionOf(olga))));
    }

    [Fact]
    public async Task A_copied_cookie_of_a_session_that_was_signed_out_is_refused()
    {
        var olga = User("olga", Role.Operator);
        await ended.EndAsync("session-1", "olga", Now.AddHours(12), Token);

        AssertSignedOut(await ValidateAsync(await StoreWithAsync(olga), PortalPrincipal.For(olga, SessionOf(olga))));
    }

    [Fact]
    public async Task A_cookie_from_before_a_password_reset_role_change_or_sign_out_everywhere_is_refused()
    {
        var olga = User("olga", Role.Operator);
        var store = await StoreWithAsync(olga);
        await store.RotateSecurityStampAsync("olga", Token);

        AssertSignedOut(await ValidateAsync(store, PortalPrincipal.For(olga, SessionOf(olga))));
    }

    [Fact]
    public async Task A_role_changed_in_the_store_without_a_new_stamp_still_ends_the_session()
    {
        var olga = User("olga", Role.Operator);

        AssertSignedOut(await ValidateAsync(await StoreWithAsync(olga with { Role = Role.Admin }), PortalPrincipal.For(olga, SessionOf(olga))));
    }

    [Fact]
    public async Task A_session_older_than_its_maximum_age_is_refused_however_active()
    {
        var olga = User("olga", Role.Operator);

        AssertSignedOut(await ValidateAsync(await StoreWithAsync(olga), PortalPrincipal.For(olga, SessionOf(olga, Now.AddHours(-12)))));
    }

    [Fact]
    public async Task A_cookie_without_a_session_from_before_sessions_existed_is_refused()
    {
        var olga = User("olga", Role.Operator);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "olga"), new Claim(ClaimTypes.Role, "Operator")],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));

        AssertSignedOut(await ValidateAsync(await StoreWithAsync(olga), principal));
    }

    [Fact]
    public void The_cookie_is_http_only_same_site_strict_and_expires_after_an_idle_hour()
    {
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);

        Assert.Equal("/signin", options.LoginPath);
        Assert.True(options.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, options.Cookie.SameSite);
        Assert.True(options.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(1), options.ExpireTimeSpan);
        Assert.Equal(typeof(PortalCookieEvents), options.EventsType);
    }

    [Theory]
    [InlineData("Development", CookieSecurePolicy.SameAsRequest)]
    [InlineData("Production", CookieSecurePolicy.Always)]
    public void Outside_Development_cookies_are_sent_over_HTTPS_only(string environment, CookieSecurePolicy expected)
    {
        var host = new ServiceCollection().AddLogging()
            .AddPortalSecurity(TestPortal.Configuration(), new HostEnvironment(environment), new PortalMode(IsSandbox: true)).BuildServiceProvider();

        var options = host.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);

        Assert.Equal(expected, options.Cookie.SecurePolicy);
    }

    public void Dispose() => services.Dispose();

    private sealed class HostEnvironment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
