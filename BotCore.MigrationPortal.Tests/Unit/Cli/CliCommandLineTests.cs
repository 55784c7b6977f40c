using BotCore.MigrationPortal.Cli;

namespace BotCore.MigrationPortal.Tests.Unit.Cli;

/// <summary>The System.CommandLine parser of the CLI: help for every verb, errors that name the bad argument, exit codes 0/1/2.</summary>
public sealed class CliCommandLineTests
{
    private sealed record CliRun(int ExitCode, string Out, string Error);

    private static async Task<CliRun> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error), cancellationToken: TestContext.Current.CancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public static TheoryData<string> Verbs =>
    [
        "list", "plan", "catalog", "status", "up", "down", "drift", "rehearse", "baseline", "doctor", "backup", "verify", "restore", "backups list",
        "check pre", "check post", "users add", "users list",
    ];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_has_help_with_its_synopsis_and_options(string verb)
    {
        var run = await Run([.. verb.Split(' '), "--help"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains($"Synopsis: {verb}", run.Out);
        Assert.Contains("--sandbox", run.Out);
        Assert.DoesNotContain("Did you mean", run.Out);
    }

    [Fact]
    public async Task Help_lists_the_new_verbs()
    {
        var run = await Run("help");

        Assert.All(["backup --target T [--json]", "verify <backupId>", "restore <backupId> --target T --confirm T", "backups list [--target T] [--json]",
            "check pre --target T [--to V] [--json]", "check post --target T [--json]"], usage => Assert.Contains($"  {usage}", run.Out));
    }

    [Fact]
    public async Task Help_of_a_verb_describes_each_option()
    {
        var run = await Run("up", "--help");

        Assert.Contains("--skip-backup", run.Out);
        Assert.Contains("on Staging or Production: run without taking and verifying a backup first (needs --reason, which is audited)", run.Out);
        Assert.Contains("--target <T>", run.Out);
    }

    [Theory]
    [InlineData("error: 'backup' does not understand '--traget'. Its options: --target <value>, --json.", "backup", "--traget", "dev")]
    [InlineData("error: Option --target of 'backup' needs a value.", "backup", "--target")]
    [InlineData("error: 'verify' needs <backupId>: verify <backupId> [--json]", "verify")]
    [InlineData("error: 'restore' does not understand '--bogus'. Its arguments and options: <backupId>, --target <value>, --confirm <value>.", "restore", "b1", "--bogus")]
    [InlineData("error: 'backups' needs a command: list. Add --help to see them.", "backups")]
    [InlineData("error: 'check' needs a command: pre, post. Add --help to see them.", "check")]
    [InlineData("error: 'check post' does not understand '--to'. Its options: --target <value>, --json.", "check", "post", "--target", "dev", "--to", "1.0.0")]
    [InlineData("error: Option --target of 'check pre' is given more than once; give it once.", "check", "pre", "--target", "dev", "--target", "staging")]
    public async Task A_bad_argument_is_named_and_exits_2(string message, params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal(message, run.Error.Trim());
    }

    [Fact]
    public async Task A_response_file_is_not_read()
    {
        var run = await Run("plan", "@/etc/passwd");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("error: 'plan' does not understand word 1 after the command (not repeated, in case it is a secret). Its options: --from <value>, --to <value>, --json.",
            run.Error.Trim());
    }
}
