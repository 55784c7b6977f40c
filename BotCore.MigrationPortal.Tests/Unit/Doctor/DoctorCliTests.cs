using BotCore.MigrationPortal.Cli;
using Microsoft.Extensions.Configuration;

namespace BotCore.MigrationPortal.Tests.Unit.Doctor;

/// <summary><c>doctor</c> on the command line, in-process with its output captured, as <see cref="CliApplicationTests"/> runs the other verbs.</summary>
public sealed class DoctorCliTests
{
    private sealed record CliRun(int ExitCode, string Out, string Error)
    {
        public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<CliRun> Run(IDictionary<string, string?> configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error),
            builder => builder.AddInMemoryCollection(configuration), Xunit.TestContext.Current.CancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private static Task<CliRun> Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    private static void AssertNoStackTrace(CliRun run)
    {
        Assert.DoesNotMatch(@"\bat \S+\.\S+\(", run.Error + run.Out);
        Assert.DoesNotContain("Exception", run.Error + run.Out);
    }

    [Fact]
    public async Task Doctor_on_the_sandbox_prints_every_line_says_simulated_and_exits_0()
    {
        var run = await Run("doctor", "--sandbox", "--target", "dev");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        var lines = run.OutLines;
        Assert.StartsWith("Doctor for dev (Development) at sandbox://dev, ", lines[0]);
        Assert.Equal(
            ["Server version", "Topology", "Privileges to migrate", "Privileges to check", "Privileges to back up", "Privileges to verify",
             "Privileges to restore", "Clock skew", "Backup location"],
            lines[1..^1].Select(line => line[6..line.IndexOf(':', 6)]));
        Assert.All(lines[1..^1], line => Assert.StartsWith("PASS  ", line));
        Assert.All(lines[1..^2], line => Assert.Contains(": simulated: ", line));
        Assert.Contains("is writable", lines[^2]);
        Assert.Contains("(simulated: 0 bytes)", lines[^2]);
        Assert.Equal("Result: 9 passed, 0 warnings, 0 failures.", lines[^1]);
    }

    [Fact]
    public async Task Doctor_for_an_unknown_target_exits_2_naming_the_known_ones()
    {
        var run = await Run("doctor", "--sandbox", "--target", "nope");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Empty(run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal("error: Unknown target 'nope': configured targets are dev, legacy, production, staging.", line);
    }

    [Fact]
    public async Task Doctor_without_a_target_exits_2()
    {
        var run = await Run("doctor", "--sandbox");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("error: 'doctor' needs --target.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Doctor_on_an_unreachable_MongoDB_says_so_in_one_line_and_exits_1()
    {
        var run = await Run(new Dictionary<string, string?>
        {
            ["Targets:offline:ConnectionString"] = "mongodb://doctor:s3cret@127.0.0.1:1/?directConnection=true",
            ["Targets:offline:TimeoutSeconds"] = "1",
        }, "doctor", "--target", "offline");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Empty(run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal("error: offline at mongodb://***@127.0.0.1:1/bot_core_db could not be used: no server answered in time. " +
            "Start MongoDB (docker compose up -d mongo) or fix the host in Targets__offline__ConnectionString.", line);
        Assert.DoesNotContain("s3cret", run.Error);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Help_lists_doctor()
    {
        var run = await Run("help");

        Assert.Contains("doctor --target T", run.Out);
    }
}
