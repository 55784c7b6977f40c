using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// Adds a user to the portal store; how the first Admin of a MongoDB portal comes to exist. Whoever may run the portal's
/// executable against its store is an Admin of it, so the command acts as one, through the Users page's own rules.
/// </summary>
public sealed class UsersAddVerb(IUsersStoreConnection store, UsersPasswordInput passwords, IPasswordHasher<PortalUser> hasher, TimeProvider time,
    CliConsole console) : ICliVerb
{
    public string Name => "users add";
    public string Usage => "users add --name N --role R";
    public string Summary =>
        $"adds a portal user (roles: {RoleNames.All}); the password, at least {PasswordPolicy.MinimumLength} characters, is one line of standard input " +
        $"or {UsersPasswordInput.EnvironmentVariable}, never an argument";
    public IReadOnlyCollection<string> ValueOptions => ["name", "role"];
    public IReadOnlyCollection<string> FlagOptions => [];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var name = arguments.Required("name");
        var roleName = arguments.Required("role");
        var role = RoleNames.Parse(roleName) ?? throw new BadInputException($"Unknown role '{roleName}'. Roles: {RoleNames.All}.");
        if (UserNamePolicy.Problem(name) is { } nameProblem) throw new BadInputException(nameProblem);

        // Reach the store and check the name before asking for the password, so that nobody types one in vain.
        var (users, audit) = await store.OpenAsync(cancellationToken);
        if (await users.FindAsync(name, cancellationToken) is not null)
        {
            throw new BadInputException($"{UserAdministration.NameTaken(name).Message} 'users list' shows the users.");
        }
        try
        {
            var user = await UserAdministration.AddAsync(users, audit, hasher, new Actor(CliIdentity.User, Role.Admin), new NewUserRequest(name, role, passwords.Read()),
                time.GetUtcNow().UtcDateTime, cancellationToken);
            console.Out.WriteLine($"Added {user.Name} ({user.Role}).");
            return ExitCodes.Success;
        }
        catch (ActionRefusedException e)
        {
            throw new BadInputException(e.Message);
        }
    }
}
