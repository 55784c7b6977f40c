using BotCore.MigrationPortal.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotCore.MigrationPortal.Security;

public static class SecurityServices
{
    public static IServiceCollection AddPortalSecurity(this IServiceCollection services, PortalMode mode)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = SignInEndpoints.SignInPage;
                options.AccessDeniedPath = SignInEndpoints.SignInPage;
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = "botcore.portal.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.EventsType = typeof(PortalCookieEvents);
            });
        services.AddScoped<PortalCookieEvents>();

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var role in Enum.GetValues<Role>())
        {
            authorization.AddPolicy(role.ToString(), policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleAtLeastRequirement(role)));
        }
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(LockoutPolicy.Default);
        services.AddSingleton<IPasswordHasher<PortalUser>, PasswordHasher<PortalUser>>();
        if (mode.IsSandbox) services.AddSingleton<IUserStore, InMemoryUserStore>();
        else services.AddSingleton<IUserStore, MongoUserStore>();
        services.AddScoped<CurrentActor>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<UserAdministration>();
        return services;
    }

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
}
