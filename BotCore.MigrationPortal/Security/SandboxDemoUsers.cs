using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// The accounts of a sandbox portal, one per role and two Approvers for four eyes, so that a newcomer can try
/// every part of the portal. Their passwords go to the console, never to the logs.
/// </summary>
public static class SandboxDemoUsers
{
    /// <summary>When set, every demo user has this password (browser tests need to know it).</summary>
    public const string PasswordSetting = "Sandbox:DemoPassword";

    public const string CreatedBy = "sandbox";

    // No 0/O or 1/l/I: the password is read off a console and typed.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public sealed record Account(string Name, Role Role);

    public static IReadOnlyList<Account> Accounts { get; } =
    [
        new("ada", Role.Admin),
        new("alice", Role.Approver),
        new("bob", Role.Approver),
        new("olga", Role.Operator),
        new("victor", Role.Viewer),
    ];

    /// <exception cref="InvalidOperationException">The configured demo password breaks the password policy.</exception>
    public static async Task SeedAsync(IUserStore users, IPasswordHasher<PortalUser> hasher, IConfiguration configuration, TimeProvider time,
        TextWriter console, CancellationToken cancellationToken)
    {
        var configuredPassword = configuration[PasswordSetting];
        if (configuredPassword is not null && Accounts.Select(a => PasswordPolicy.Problem(configuredPassword, a.Name)).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new InvalidOperationException($"{PasswordSetting} is not a usable password: {problem}");
        }

        var lines = new List<string>();
        foreach (var account in Accounts)
        {
            var password = configuredPassword ?? RandomPassword(account.Name);
            var (user, _) = PortalUserFactory.Create(account.Name, account.Role, password, CreatedBy, time.GetUtcNow().UtcDateTime, hasher);
            await users.TryInsertAsync(user!, cancellationToken);
            lines.Add($"  {account.Name,-8} {account.Role,-9} {password}");
        }

        console.WriteLine();
        console.WriteLine(configuredPassword is null
            ? "SANDBOX demo users (new passwords at every start; set Sandbox__DemoPassword to fix them):"
            : $"SANDBOX demo users (password from {PasswordSetting}):");
        foreach (var line in lines) console.WriteLine(line);
        console.WriteLine();
    }

    // Sixteen random characters pass the policy but for a rare draw that holds the name ("xADAq…"): drawn again then.
    private static string RandomPassword(string name)
    {
        string password;
        do password = RandomNumberGenerator.GetString(PasswordAlphabet, 16);
        while (PasswordPolicy.Problem(password, name) is not null);
        return password;
    }
}
