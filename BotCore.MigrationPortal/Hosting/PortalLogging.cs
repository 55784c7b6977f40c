using Serilog;
using Serilog.Formatting.Compact;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// Where the portal's log goes: the console, for a person reading along, and daily files of JSON lines (Serilog's compact
/// event format, one event per line, kept <see cref="RetainedFiles"/> days) for tools and as a witness of the audit log
/// outside MongoDB. Neither can be forged by what a user types: a value is a property, and both outputs escape it.
/// </summary>
public static class PortalLogging
{
    // :j writes string values JSON-quoted with CR, LF and ESC escaped, so a value cannot start a line of its own or
    // recolour the terminal; the usual :lj writes them raw.
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:j}{NewLine}{Exception}";

    public const string FilePattern = "portal-.jsonl";

    public const int RetainedFiles = 30;

    /// <summary>The portal's sinks and the <c>Serilog</c> section of configuration (levels) on <paramref name="logging"/>.</summary>
    public static LoggerConfiguration Configure(LoggerConfiguration logging, IConfiguration configuration) =>
        logging
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: ConsoleTemplate)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(configuration.GetValue("Portal:LogDirectory", "logs")!, FilePattern),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: RetainedFiles);
}
