using BotCore.MigrationPortal.Hosting;
using Microsoft.AspNetCore.Authentication;

namespace BotCore.MigrationPortal.Security.Tokens;

public static class ApiTokenServices
{
    /// <summary>Personal API tokens: their store (MongoDB with its indexes, or memory in the sandbox), the service, and the <c>ApiToken</c> scheme.</summary>
    public static IServiceCollection AddApiTokens(this IServiceCollection services, IConfiguration configuration, PortalMode mode)
    {
        if (mode.IsSandbox)
        {
            services.AddSingleton<IApiTokenStore, InMemoryApiTokenStore>();
        }
        else
        {
            services.AddSingleton<MongoApiTokenStore>();
            services.AddSingleton<IApiTokenStore>(provider => provider.GetRequiredService<MongoApiTokenStore>());
            services.AddHostedService<ApiTokenIndexes>();
        }
        services.AddSingleton<ApiTokens>();
        var failuresPerMinute = configuration.GetValue(ApiTokenFailureLimiter.Setting, 10);
        services.AddSingleton(_ => new ApiTokenFailureLimiter(failuresPerMinute));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        return services;
    }

    private sealed class ApiTokenIndexes(MongoApiTokenStore tokens) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => tokens.EnsureIndexesAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
