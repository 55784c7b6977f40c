using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security.Sessions;
using BotCore.MigrationPortal.Security.Tokens;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotCore.MigrationPortal.Security;

public static class SecurityServices
{
    public const string AuthCookieName = "botcore.portal.auth";

    public static IServiceCollection AddPortalSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, PortalMode mode)
    {
        var sessionPolicy = configuration.GetSection(SessionPolicy.Section).Get<SessionPolicy>() ?? new SessionPolicy();
        var cookies = new CookieSecurity(httpsOnly: !environment.IsDevelopment());
        services.AddSingleton(sessionPolicy);
        services.AddSingleton(cookies);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = SignInEndpoints.SignInPage;
                options.AccessDeniedPath = SignInEndpoints.SignInPage;
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = AuthCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = cookies.Policy;
                options.ExpireTimeSpan = sessionPolicy.Idle;
                options.SlidingExpiration = true;
                options.EventsType = typeof(PortalCookieEvents);
            });
        services.AddScoped<PortalCookieEvents>();
        // The form token's cookie is Secure whenever the request came over HTTPS (directly or through the trusted TLS proxy),
        // as the sign-in cookie is there. Over plain HTTP it is not, so that the forms of a sandbox or of a portal opened on
        // this machine keep working in any client; that is where the sign-in cookie relies on browsers accepting Secure from
        // localhost, and signing in over plain HTTP from elsewhere is refused anyway (CookieSecurity).
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSignInRateLimit(configuration);

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var role in Enum.GetValues<Role>())
        {
            authorization.AddPolicy(role.ToString(), policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleAtLeastRequirement(role)));
        }
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddSingleton(LockoutPolicy.Default);
        services.AddSingleton<IPasswordHasher<PortalUser>, PasswordHasher<PortalUser>>();
        services.AddSingleton<UnknownUserHash>();
        services.AddSingleton<SignInErrors>();
        if (mode.IsSandbox)
        {
            services.AddSingleton<IUserStore, InMemoryUserStore>();
            services.AddSingleton<IEndedSessionStore, InMemoryEndedSessionStore>();
        }
        else
        {
            services.AddSingleton<IUserStore, MongoUserStore>();
            services.AddSingleton<MongoEndedSessionStore>();
            services.AddSingleton<IEndedSessionStore>(provider => provider.GetRequiredService<MongoEndedSessionStore>());
            services.AddHostedService<EndedSessionIndexes>();
        }
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<ActionAuthorizer>();
        // The authorizer reads a token at every act done with one.
        services.AddApiTokens(configuration, mode);
        services.AddScoped<CurrentActor>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<UserAdministration>();
        return services;
    }

    /// <summary>Rate limiting of sign-ins, then who is signed in and what they may open, then antiforgery.</summary>
    public static IApplicationBuilder UsePortalSecurity(this IApplicationBuilder app) =>
        app.UseRateLimiter().UseAuthentication().UseAuthorization().UseAntiforgery();

    public static IEndpointRouteBuilder MapPortalSecurityEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapSignInEndpoints();

    /// <summary>Sandbox: creates the demo users and prints their passwords. MongoDB: warns when nobody can manage users.</summary>
    public static async Task PrepareSecurityAsync(this IServiceProvider services, PortalMode mode, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<IUserStore>();
        if (mode.IsSandbox)
        {
            await SandboxDemoUsers.SeedAsync(users, services.GetRequiredService<IPasswordHasher<PortalUser>>(), services.GetRequiredService<IConfiguration>(),
                services.GetRequiredService<TimeProvider>(), Console.Out, cancellationToken);
            return;
        }
        var all = await users.ListAsync(cancellationToken);
        if (!all.Any(u => u.Role == Role.Admin && !u.Disabled))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityServices)).LogWarning(
                "The portal store has no enabled Admin, so nobody can manage users. Create one with: {Command}",
                "BotCore.MigrationPortal users add --name NAME --role Admin (the password on standard input or in BOTCORE_USER_PASSWORD)");
        }
    }

    private sealed class EndedSessionIndexes(MongoEndedSessionStore sessions) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => sessions.EnsureIndexesAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
