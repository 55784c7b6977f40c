using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
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
        // A fixed stamp, as the test people have, so that a session made for the user in a test holds.
        return user! with { Disabled = disabled, SecurityStamp = TestPerson.StampOf(name) };
    }

    public static async Task<InMemoryUserStore> StoreWithAsync(params PortalUser[] users)
    {
        var store = new InMemoryUserStore();
        foreach (var user in users) Assert.True(await store.TryInsertAsync(user, CancellationToken.None));
        return store;
    }
}

/// <summary>The portal's authorisation over a given user store, for unit tests that build a service by hand.</summary>
internal static class TestAuthorization
{
    public static ActionAuthorizer Over(IUserStore users, IAuditLog audit, TimeProvider? time = null) =>
        new(users, Sessions(users, time ?? TimeProvider.System), new BotCore.MigrationPortal.Security.Tokens.InMemoryApiTokenStore(), audit, time ?? TimeProvider.System,
            NullLogger<ActionAuthorizer>.Instance);

    public static SessionValidator Sessions(IUserStore users, TimeProvider time, IEndedSessionStore? ended = null) =>
        new(users, ended ?? new InMemoryEndedSessionStore(time), new SessionPolicy(), new MemoryCache(new MemoryCacheOptions()), time);
}
