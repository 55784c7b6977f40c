using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class SandboxDemoUsersTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(InMemoryUserStore Store, string Printed)> SeedAsync(string? demoPassword = null)
    {
        var store = new InMemoryUserStore();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SandboxDemoUsers.PasswordSetting] = demoPassword }).Build();
        using var console = new StringWriter();
        await SandboxDemoUsers.SeedAsync(store, Hasher, configuration, new FakeTimeProvider(), console, Token);
        return (store, console.ToString());
    }

    private static string PrintedPassword(string printed, string name) =>
        printed.Split('\n').Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(words => words is [_, _, _] && words[0] == name)[2];

    private static bool Verifies(PortalUser user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    [Fact]
    public async Task Two_Approvers_an_Operator_a_Viewer_and_an_Admin_are_created()
    {
        var (store, _) = await SeedAsync();

        var users = await store.ListAsync(Token);

        Assert.Equal(
            [("ada", Role.Admin), ("alice", Role.Approver), ("bob", Role.Approver), ("olga", Role.Operator), ("victor", Role.Viewer)],
            users.Select(u => (u.Name, u.Role)));
        Assert.All(users, u => Assert.Equal(("sandbox", false), (u.CreatedBy, u.Disabled)));
    }

    [Fact]
    public async Task Each_gets_its_own_random_password_which_is_printed_with_the_name()
    {
        var (store, printed) = await SeedAsync();
        var (_, printedAgain) = await SeedAsync();

        var passwords = SandboxDemoUsers.Accounts.Select(a => PrintedPassword(printed, a.Name)).ToList();
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.All(passwords, p => Assert.Null(PasswordPolicy.Problem(p)));
        foreach (var account in SandboxDemoUsers.Accounts)
        {
            Assert.True(Verifies((await store.FindAsync(account.Name, Token))!, PrintedPassword(printed, account.Name)));
            Assert.NotEqual(PrintedPassword(printed, account.Name), PrintedPassword(printedAgain, account.Name));
        }
    }

    [Fact]
    public async Task A_configured_demo_password_is_every_demo_users_password()
    {
        var (store, printed) = await SeedAsync("browser-test-password");

        foreach (var user in await store.ListAsync(Token)) Assert.True(Verifies(user, "browser-test-password"));
        Assert.Contains("password from Sandbox:DemoPassword", printed);
    }

    [Fact]
    public async Task A_configured_demo_password_must_follow_the_policy()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SeedAsync("short"));

        Assert.Contains("at least 12 characters", refused.Message);
    }
}
