namespace BotCore.MigrationPortal.Cli;

/// <summary>One command of the CLI.</summary>
public interface ICliVerb
{
    string Name { get; }

    /// <summary>The synopsis, as the help lists it.</summary>
    string Usage { get; }

    string Summary { get; }

    IReadOnlyCollection<string> ValueOptions { get; }

    IReadOnlyCollection<string> FlagOptions { get; }

    /// <summary>Positional arguments, in order, each required ("verify &lt;backupId&gt;").</summary>
    IReadOnlyCollection<string> Arguments => [];

    /// <returns>The exit code: 0 success, 1 the operation failed or found drift.</returns>
    Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken);
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}

/// <summary>Where the CLI writes: results to Out (for pipelines to read), diagnostics to Error.</summary>
/// <param name="Interactive">Out is a terminal (not redirected): long operations draw a progress bar instead of printing lines.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool Interactive = false);
