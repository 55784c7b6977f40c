using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>Users with known passwords for the security tests, hashed by a hasher made cheap for speed.</summary>
internal static class SecurityTestUsers
{
    public const string Password = "correct horse battery";

    /// <summary>ASP.NET Core's hasher with few iterations: the same format and checks, without 100,000 rounds per test.</summary>
    public static IPasswordHasher<PortalUser> Hasher { get; } =
        new PasswordHasher<PortalUser>(Options.Create(new PasswordHasherOptions { IterationCount = 1_000 }));

    public static readonly DateTime CreatedAt = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    public static PortalUser User(string name, Role role, string password = Password, bool disabled = false)
    {
        var (user, problem) = PortalUserFactory.Create(name, role, password, "test", CreatedAt, Hasher);
        Assert.Null(problem);
        return user! with { Disabled = disabled };
    }

    public static async Task<InMemoryUserStore> StoreWithAsync(params PortalUser[] users)
    {
        var store = new InMemoryUserStore();
        foreach (var user in users) Assert.True(await store.TryInsertAsync(user, CancellationToken.None));
        return store;
    }
}
