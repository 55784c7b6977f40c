using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>Adds a user to the portal store; how the first Admin of a MongoDB portal comes to exist.</summary>
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
        var name = arguments.Required("name", Name);
        var roleName = arguments.Required("role", Name);
        var role = RoleNames.Parse(roleName) ?? throw new BadInputException($"Unknown role '{roleName}'. Roles: {RoleNames.All}.");
        if (UserNamePolicy.Problem(name) is { } nameProblem) throw new BadInputException(nameProblem);

        // Reach the store and check the name before asking for the password, so that nobody types one in vain.
        var (users, audit) = await store.OpenAsync(cancellationToken);
        if (await users.FindAsync(name, cancellationToken) is not null) throw NameTaken(name);
        var (user, problem) = PortalUserFactory.Create(name, role, passwords.Read(), CliIdentity.User, time.GetUtcNow().UtcDateTime, hasher);
        if (user is null) throw new BadInputException(problem!);
        if (!await users.TryInsertAsync(user, cancellationToken)) throw NameTaken(name);
        await audit.RecordAsync(new AuditRecord(CliIdentity.User, "cli", AuditActions.UserCreated, null, null,
            $"added {user.Name} ({user.Role}) from the command line"), cancellationToken);

        console.Out.WriteLine($"Added {user.Name} ({user.Role}).");
        return ExitCodes.Success;
    }

    private static BadInputException NameTaken(string name) =>
        new($"A user named '{name}' already exists (names are compared without regard to case). 'users list' shows the users.");
}
