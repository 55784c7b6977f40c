using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotCore.MigrationPortal.Cli.Verbs;

public static class UsersCommands
{
    /// <summary>The <c>users add</c> and <c>users list</c> commands and what they need.</summary>
    public static IServiceCollection AddUsersCommands(this IServiceCollection services)
    {
        services.TryAddSingleton<IPasswordHasher<PortalUser>, PasswordHasher<PortalUser>>();
        services.AddSingleton<IUsersStoreConnection, UsersStoreConnection>();
        services.AddSingleton(provider => new UsersPasswordInput(provider.GetRequiredService<IConfiguration>(),
            () => UsersPasswordInput.ReadStandardInput(provider.GetRequiredService<CliConsole>().Error)));
        services.AddSingleton<ICliVerb, UsersAddVerb>();
        services.AddSingleton<ICliVerb, UsersListVerb>();
        return services;
    }
}
