using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Cli.Verbs;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>The users commands against a real portal store, as an operator creates the first Admin.</summary>
public sealed class UsersCliMongoTests(MongoFixture mongo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(int ExitCode, string Out, string Error)> RunCli(string connectionString, string database, string? password, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new Dictionary<string, string?>
        {
            ["Portal:Store:ConnectionString"] = connectionString,
            ["Portal:Store:Database"] = database,
            [UsersPasswordInput.EnvironmentVariable] = password,
        };
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error), builder => builder.AddInMemoryCollection(configuration), Token);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_first_Admin_is_added_listed_and_can_sign_in_and_the_name_cannot_be_added_twice()
    {
        var database = mongo.NewStoreDatabase();
        var name = database.DatabaseNamespace.DatabaseName;

        var added = await RunCli(mongo.ConnectionStringFor(database), name, "the first admins password", "users", "add", "--name", "Ada", "--role", "Admin");
        var again = await RunCli(mongo.ConnectionStringFor(database), name, "another long password", "users", "add", "--name", "ada", "--role", "Viewer");
        var listed = await RunCli(mongo.ConnectionStringFor(database), name, null, "users", "list");

        Assert.Equal((ExitCodes.Success, "Added Ada (Admin)."), (added.ExitCode, added.Out.Trim()));
        Assert.Equal(ExitCodes.BadInput, again.ExitCode);
        Assert.Contains("A user named 'ada' already exists", again.Error);
        Assert.Equal(ExitCodes.Success, listed.ExitCode);
        Assert.Matches(@"\nAda\s+Admin\s+enabled\s+0 ", listed.Out);

        var ada = await new MongoUserStore(new PortalDatabase(database, "integration-test", SupportsChangeStreams: false)).FindAsync("ada", Token);
        Assert.NotNull(ada);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<PortalUser>().VerifyHashedPassword(ada, ada.PasswordHash, "the first admins password"));
    }
}
