using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class UsersListVerb(IUsersStoreConnection store, TimeProvider time, CliConsole console) : ICliVerb
{
    public string Name => "users list";
    public string Usage => "users list";
    public string Summary => "the portal's users: role, state, failed sign-ins, who created them and when";
    public IReadOnlyCollection<string> ValueOptions => [];
    public IReadOnlyCollection<string> FlagOptions => [];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var users = await (await store.OpenAsync(cancellationToken)).Users.ListAsync(cancellationToken);
        if (users.Count == 0)
        {
            console.Out.WriteLine("No users yet. Add the first Admin with: users add --name NAME --role Admin");
            return ExitCodes.Success;
        }
        var now = time.GetUtcNow().UtcDateTime;
        console.Out.WriteLine($"{"NAME",-20} {"ROLE",-9} {"STATE",-33} {"FAILED",6} CREATED");
        foreach (var user in users)
        {
            var state = user.Disabled ? "disabled"
                : LockoutPolicy.IsLocked(user, now) ? $"locked until {user.LockedUntil:u}"
                : "enabled";
            console.Out.WriteLine($"{user.Name,-20} {user.Role,-9} {state,-33} {user.FailedAttempts,6} {user.CreatedAt:u} by {user.CreatedBy}");
        }
        return ExitCodes.Success;
    }
}
