using Microsoft.Extensions.Logging.Abstractions;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Cli.Verbs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>
/// <c>users add</c> and <c>users list</c>: through the whole CLI where no store is needed or the store is unreachable,
/// and as verbs over an in-memory store for the rest.
/// </summary>
public sealed class UsersCliTests
{
    private const string UnreachableStore = "mongodb://127.0.0.1:1/?directConnection=true";

    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly RecordingAuditLog audit = new();

    private sealed class OpenedStore(IUserStore store, IAuditLog audit) : IUsersStoreConnection
    {
        public Task<PortalUsers> OpenAsync(CancellationToken cancellationToken) => Task.FromResult(new PortalUsers(store, audit));
    }

    private sealed record CliRun(int ExitCode, string Out, string Error);

    private static async Task<CliRun> RunCli(Dictionary<string, string?> configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        configuration.TryAdd("Portal:Store:ConnectionString", UnreachableStore);
        configuration.TryAdd("Portal:Store:TimeoutSeconds", "1");
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error), builder => builder.AddInMemoryCollection(configuration), Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private static void AssertBadInput(CliRun run, string message)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("Exception", run.Error);
    }

    private UsersAddVerb AddVerb(IUserStore store, Func<string?> standardInput, Dictionary<string, string?>? configuration = null) =>
        new(new OpenedStore(store, audit),
            new UsersPasswordInput(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build(), standardInput),
            Hasher, new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)), new CliConsole(output, error));

    private CliArguments Arguments(ICliVerb verb, params string[] tokens) =>
        new CliCommandLine([verb]).Parse([.. verb.Name.Split(' '), .. tokens], new CliConsole(output, error))!.Value.Arguments;

    private static bool Verifies(PortalUser user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    [Fact]
    public async Task Add_says_clearly_when_the_portal_store_is_unreachable()
    {
        var run = await RunCli(new() { [UsersPasswordInput.EnvironmentVariable] = "a long enough password" },
            "users", "add", "--name", "ada", "--role", "Admin");

        AssertBadInput(run, "The portal store at mongodb://127.0.0.1:1/botcore_portal is unreachable");
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task List_says_clearly_when_the_portal_store_is_unreachable() =>
        AssertBadInput(await RunCli([], "users", "list"), "is unreachable");

    [Fact]
    public async Task A_password_is_never_taken_from_an_argument_nor_repeated()
    {
        var run = await RunCli([], "users", "add", "--name", "ada", "--role", "Admin", "--password", "hunter2-hunter2");

        AssertBadInput(run, "'users add' does not understand '--password'");
        Assert.DoesNotContain("hunter2", run.Out + run.Error);
    }

    [Fact]
    public async Task An_unknown_role_is_bad_input_and_lists_the_roles() =>
        AssertBadInput(await RunCli([], "users", "add", "--name", "ada", "--role", "Superuser"),
            "Unknown role 'Superuser'. Roles: Viewer, Operator, Approver, Admin.");

    [Fact]
    public async Task A_role_number_is_not_a_role() =>
        AssertBadInput(await RunCli([], "users", "add", "--name", "ada", "--role", "3"), "Unknown role '3'");

    [Theory]
    [InlineData("'users add' needs --name.", "users", "add", "--role", "Admin")]
    [InlineData("'users add' needs --role.", "users", "add", "--name", "ada")]
    [InlineData("A name has 1 to 64 letters", "users", "add", "--name", "ada lovelace", "--role", "Admin")]
    [InlineData("'users' needs a command: add, list.", "users", "remove", "--name", "ada")]
    public async Task Bad_usage_exits_with_2(string message, params string[] args) =>
        AssertBadInput(await RunCli([], args), message);

    [Fact]
    public async Task The_help_lists_both_users_commands_and_where_the_password_comes_from()
    {
        var run = await RunCli([], "help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("  users add --name N --role R", run.Out);
        Assert.Contains("BOTCORE_USER_PASSWORD, never an argument", run.Out);
        Assert.Contains("  users list", run.Out);
    }

    [Fact]
    public async Task Add_reads_the_password_from_one_line_of_standard_input()
    {
        var store = new InMemoryUserStore();
        var input = new StringReader("the first admins password\nthe next line is not read\n");
        var verb = AddVerb(store, input.ReadLine);

        var exitCode = await verb.RunAsync(Arguments(verb, "--name", "ada", "--role", "admin"), Token);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("Added ada (Admin).\n", output.ToString().ReplaceLineEndings("\n"));
        var ada = (await store.FindAsync("ada", Token))!;
        Assert.Equal(Role.Admin, ada.Role);
        Assert.EndsWith("(cli)", ada.CreatedBy);
        Assert.True(Verifies(ada, "the first admins password"));
        Assert.DoesNotContain("password", output.ToString() + error);
        var recorded = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.UserCreated, "Admin"), (recorded.Action, recorded.Role));
        Assert.EndsWith("(cli)", recorded.User);
        Assert.Equal("added ada as Admin", recorded.Details);
        Assert.DoesNotContain("the first admins password", recorded.Details);
    }

    [Fact]
    public async Task Add_takes_the_password_from_BOTCORE_USER_PASSWORD_before_standard_input()
    {
        var store = new InMemoryUserStore();
        var verb = AddVerb(store, () => throw new InvalidOperationException("standard input must not be read"),
            new() { [UsersPasswordInput.EnvironmentVariable] = "from the environment" });

        await verb.RunAsync(Arguments(verb, "--name", "ada", "--role", "Admin"), Token);

        Assert.True(Verifies((await store.FindAsync("ada", Token))!, "from the environment"));
    }

    [Fact]
    public void BOTCORE_USER_PASSWORD_is_read_from_the_environment()
    {
        Environment.SetEnvironmentVariable(UsersPasswordInput.EnvironmentVariable, "set in the environment");
        try
        {
            var input = new UsersPasswordInput(new ConfigurationBuilder().AddEnvironmentVariables().Build(), () => null);

            Assert.Equal("set in the environment", input.Read());
        }
        finally
        {
            Environment.SetEnvironmentVariable(UsersPasswordInput.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task Add_without_any_password_says_where_to_give_it()
    {
        var store = new InMemoryUserStore();
        var verb = AddVerb(store, () => null);

        var refused = await Assert.ThrowsAsync<BadInputException>(() => verb.RunAsync(Arguments(verb, "--name", "ada", "--role", "Admin"), Token));

        Assert.Contains("No password: set BOTCORE_USER_PASSWORD, or give it as one line on standard input", refused.Message);
        Assert.Empty(await store.ListAsync(Token));
    }

    [Fact]
    public async Task Add_refuses_a_password_under_twelve_characters()
    {
        var store = new InMemoryUserStore();
        var verb = AddVerb(store, () => "elevenchars");

        var refused = await Assert.ThrowsAsync<BadInputException>(() => verb.RunAsync(Arguments(verb, "--name", "ada", "--role", "Admin"), Token));

        Assert.StartsWith("A password needs at least 12 characters.", refused.Message);
        Assert.Empty(await store.ListAsync(Token));
    }

    [Fact]
    public async Task Add_refuses_a_taken_name_before_asking_for_the_password()
    {
        var store = await StoreWithAsync(User("Ada", Role.Admin));
        var verb = AddVerb(store, () => throw new InvalidOperationException("the password must not be asked for"));

        var refused = await Assert.ThrowsAsync<BadInputException>(() => verb.RunAsync(Arguments(verb, "--name", "ada", "--role", "Viewer"), Token));

        Assert.StartsWith("A user named 'ada' already exists", refused.Message);
        Assert.Equal(Role.Admin, (await store.FindAsync("ada", Token))!.Role);
    }

    [Fact]
    public async Task List_shows_each_user_with_role_state_failures_and_creation()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var store = await StoreWithAsync(
            User("ada", Role.Admin),
            User("bob", Role.Approver) with { FailedAttempts = 5, LockedUntil = now.UtcDateTime.AddMinutes(10) },
            User("victor", Role.Viewer, disabled: true));
        var verb = new UsersListVerb(new OpenedStore(store, audit), new FakeTimeProvider(now), new CliConsole(output, error));

        Assert.Equal(ExitCodes.Success, await verb.RunAsync(Arguments(verb), Token));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Matches(@"^ada\s+Admin\s+enabled\s+0 2026-03-01 08:00:00Z by test$", lines[1]);
        Assert.Matches(@"^bob\s+Approver\s+locked until 2026-03-02 09:10:00Z\s+5 ", lines[2]);
        Assert.Matches(@"^victor\s+Viewer\s+disabled\s+0 ", lines[3]);
        Assert.DoesNotContain("AQAA", output.ToString());
    }

    [Fact]
    public async Task List_of_an_empty_store_says_how_to_add_the_first_Admin()
    {
        var verb = new UsersListVerb(new OpenedStore(new InMemoryUserStore(), audit), new FakeTimeProvider(), new CliConsole(output, error));

        await verb.RunAsync(Arguments(verb), Token);

        Assert.Contains("users add --name NAME --role Admin", output.ToString());
    }
}
