using BotCore.MigrationPortal.Cli;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>What the CLI says about an argument it does not understand: never the argument itself, unless it is an option name.</summary>
public sealed class CliArgumentsTests
{
    private static async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(output.ToString());
        return (exitCode, error.ToString());
    }

    [Theory]
    [InlineData("hunter2-hunter2", "users", "add", "--name", "ada", "--role", "Admin", "--pasword", "hunter2-hunter2")]
    [InlineData("hunter2-hunter2", "users", "add", "--name", "ada", "--password=hunter2-hunter2")]
    [InlineData("s3cret", "status", "--target", "local", "mongodb://admin:s3cret@db.example:27017")]
    [InlineData("s3cret", "status", "mongodb://admin:s3cret@db.example:27017", "--target", "local")]
    [InlineData("Tr0ub4dor&3", "plan", "--to", "1.3.0", "Tr0ub4dor&3")]
    [InlineData("Tr0ub4dor", "plan", "--Tr0ub4dor&3")]
    public async Task A_secret_typed_in_the_wrong_place_is_not_repeated_on_standard_error(string secret, params string[] args)
    {
        var (exitCode, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.StartsWith("error: '", error);
        Assert.Contains("does not understand", error);
        Assert.DoesNotContain(secret, error);
    }

    [Fact]
    public async Task A_misspelt_option_is_named_and_the_options_are_listed()
    {
        var (_, error) = await RunAsync("users", "add", "--name", "ada", "--pasword", "hunter2-hunter2");

        Assert.Equal("error: 'users add' does not understand '--pasword'. Its options: --name <value>, --role <value>.", error.Trim());
    }

    [Fact]
    public async Task Anything_else_is_named_by_its_position()
    {
        var (_, error) = await RunAsync("status", "--target", "local", "mongodb://admin:s3cret@db.example:27017");

        Assert.Equal(
            "error: 'status' does not understand word 3 after the command (not repeated, in case it is a secret). Its options: --target <value>, --json.",
            error.Trim());
    }
}
