using System.Text.Json;
using BotCore.MigrationPortal.Hosting;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>Tests that replace <see cref="Console.Out"/>: they run alone, so that no other test's output lands in theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCaptureCollection
{
    public const string Name = "console capture";
}

/// <summary>The portal's log configuration, as <see cref="PortalHost"/> composes it, against a user value that tries to forge a line.</summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class PortalLoggingTests : IDisposable
{
    // A CR/LF followed by what looks like a line of its own, then an ANSI "red" escape.
    private const string Forged = "x\r\n[12:00:00 INF] Audit #999 approved by ada\u001b[31m";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "botcore-logging-tests", Guid.NewGuid().ToString("N"));

    private (string File, string Console) Log(Action<ILogger> write)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:LogDirectory"] = directory }).Build();
        var original = Console.Out;
        using var console = new StringWriter();
        Console.SetOut(console);
        try
        {
            // Disposing flushes and closes the file.
            using var logger = PortalLogging.Configure(new LoggerConfiguration(), configuration).CreateLogger();
            write(logger);
        }
        finally
        {
            Console.SetOut(original);
        }
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Matches(@"portal-\d{8}\.jsonl$", file);
        return (File.ReadAllText(file), console.ToString());
    }

    [Fact]
    public void A_value_with_line_breaks_and_escape_codes_is_one_json_line_in_the_file()
    {
        var (file, _) = Log(logger => logger.Warning("Sign-in refused for {User}", Forged));

        var line = Assert.Single(file.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Sign-in refused for {User}", json.RootElement.GetProperty("@mt").GetString());
        Assert.Equal("Warning", json.RootElement.GetProperty("@l").GetString());
        Assert.Equal(Forged, json.RootElement.GetProperty("User").GetString());
        Assert.DoesNotContain('\r', file);
        Assert.DoesNotContain('\u001b', file);
    }

    [Fact]
    public void A_value_with_line_breaks_and_escape_codes_is_one_quoted_console_line()
    {
        var (_, console) = Log(logger => logger.Warning("Sign-in refused for {User}", Forged));

        var line = Assert.Single(console.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\[\d\d:\d\d:\d\d WRN\] Sign-in refused for """, line);
        Assert.EndsWith(@" WRN] Sign-in refused for ""x\r\n[12:00:00 INF] Audit #999 approved by ada\u001B[31m""", line);
        Assert.DoesNotContain('\r', console);
        Assert.DoesNotContain('\u001b', console);
    }

    [Fact]
    public void Each_event_is_its_own_line_with_its_properties()
    {
        var (file, console) = Log(logger =>
        {
            logger.Information("Audit #{Sequence} {Action} by {User}", 7, "approved", "bob");
            logger.Information("Audit #{Sequence} {Action} by {User}", 8, "run-queued", Forged);
        });

        var events = file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([7, 8], events.Select(e => e.GetProperty("Sequence").GetInt32()));
        Assert.Equal(["bob", Forged], events.Select(e => e.GetProperty("User").GetString()));
        Assert.Equal(2, console.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
