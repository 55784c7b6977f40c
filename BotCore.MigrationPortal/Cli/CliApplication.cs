using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Cli.Verbs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Targets;
using Serilog;
using Serilog.Events;

namespace BotCore.MigrationPortal.Cli;

/// <summary>
/// The portal executable with a command runs the command instead of the web server. Results go to standard
/// output, problems to standard error as one line that says what was wrong and what to do.
/// Exit codes: 0 success, 1 the operation failed or found drift, 2 bad usage or bad input.
/// </summary>
public static class CliApplication
{
    public static bool IsCliInvocation(IReadOnlyList<string> args) => args.Count > 0 && !args[0].StartsWith('-');

    /// <param name="replace">For tests: replaces services after the portal's registrations, as the test hosts do (an audit store to read back).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, Action<IConfigurationBuilder>? configure = null,
        CancellationToken cancellationToken = default, Action<IServiceCollection>? replace = null)
    {
        IHost? host = null;
        Microsoft.Extensions.Logging.ILogger? logger = null;
        // --sandbox, anywhere: every target verb works on the simulated targets (Sandbox:Targets), for this one process.
        var sandbox = args.Contains(PortalMode.SandboxSwitch);
        args = args.Where(a => a != PortalMode.SandboxSwitch).ToList();
        try
        {
            // Inside the try: a bad setting (a tier, a number, the batch size) is bad input, reported as one line.
            host = BuildHost(console, configure, sandbox, replace);
            var verbs = host.Services.GetServices<ICliVerb>().ToList();
            logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CliApplication));

            if (args.Count == 0 || args[0] is "help" or "--help" or "-h") return Help(verbs, console);
            var commandLine = new CliCommandLine(verbs);
            if (!commandLine.TopLevelWords.Contains(args[0]))
            {
                // The word is not repeated: a secret typed in the wrong place must not end up in a terminal or CI log.
                throw new BadInputException(
                    $"The first word is not a command. Commands: {string.Join(", ", verbs.Select(v => v.Name))}. Run 'help' for their options, or start the portal without a command.");
            }
            if (commandLine.Parse(args, console) is not var (verb, arguments)) return ExitCodes.Success;
            return await verb.RunAsync(arguments, cancellationToken);
        }
        catch (BadInputException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (MigrationEngineException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C during a driver call surfaces as the driver's connection error as often as a cancellation.
            console.Error.WriteLine("error: cancelled.");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (MongoFailures.Classify(e) is { } failure)
        {
            // The targets explain their own failures; this is the portal store, which the users commands use.
            console.Error.WriteLine($"error: the portal store could not be used: {failure.Reason}. Check Portal__Store__ConnectionString and the user's roles.");
            return ExitCodes.Failure;
        }
        catch (InvalidOperationException e) when (logger is null)
        {
            console.Error.WriteLine($"error: the configuration is not valid: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            logger?.LogDebug(e, "Command {Command} failed unexpectedly", args.FirstOrDefault());
            console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message} (set Cli__LogLevel=Debug for the details)");
            return ExitCodes.Failure;
        }
        finally
        {
            host?.Dispose();
        }
    }

    private static IHost BuildHost(CliConsole console, Action<IConfigurationBuilder>? configure, bool sandbox, Action<IServiceCollection>? replace)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        configure?.Invoke(builder.Configuration);
        builder.Logging.ClearProviders();
        var level = builder.Configuration.GetValue("Cli:LogLevel", LogEventLevel.Warning);
        // A pipeline's log shows what failed in one line; stack traces are for whoever asks for Debug.
        var template = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}" + (level <= LogEventLevel.Debug ? "{Exception}" : "");
        builder.Services.AddSerilog(logging => logging
            .MinimumLevel.Is(level)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: template));
        var mode = new PortalMode(sandbox);
        PortalBson.Register();
        // The portal's features as the web portal composes them: one rule source, one audit chain, one run list (see CliPortal).
        builder.Services.AddPortalFeatures(builder.Configuration, builder.Environment, mode);
        builder.Services.AddSingleton<CliPortal>();
        if (!sandbox) builder.Services.AddSingleton(provider => provider.GetRequiredService<CliPortal>().Database);
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton<CliProgress>();
        builder.Services.AddSingleton<CliRuns>();
        builder.Services.AddSingleton<CliGates>();
        builder.Services.AddSingleton<ICliVerb, ListVerb>();
        builder.Services.AddSingleton<ICliVerb, PlanVerb>();
        builder.Services.AddSingleton<ICliVerb, CatalogVerb>();
        builder.Services.AddSingleton<ICliVerb, StatusVerb>();
        builder.Services.AddSingleton<ICliVerb>(provider => ActivatorUtilities.CreateInstance<MigrateVerb>(provider, Direction.Up));
        builder.Services.AddSingleton<ICliVerb>(provider => ActivatorUtilities.CreateInstance<MigrateVerb>(provider, Direction.Down));
        builder.Services.AddSingleton<ICliVerb, DriftVerb>();
        builder.Services.AddSingleton<ICliVerb, RehearseVerb>();
        builder.Services.AddSingleton<ICliVerb, BaselineVerb>();
        builder.Services.AddSingleton<ICliVerb, DoctorVerb>();
        builder.Services.AddSingleton<ICliVerb, BackupVerb>();
        builder.Services.AddSingleton<ICliVerb, VerifyVerb>();
        builder.Services.AddSingleton<ICliVerb, RestoreVerb>();
        builder.Services.AddSingleton<ICliVerb, BackupsListVerb>();
        builder.Services.AddSingleton<ICliVerb, FixListVerb>();
        builder.Services.AddSingleton<ICliVerb, FixPlanVerb>();
        builder.Services.AddSingleton<ICliVerb, FixRunVerb>();
        builder.Services.AddSingleton<ICliVerb>(provider => ActivatorUtilities.CreateInstance<CheckVerb>(provider, CheckPhase.PreMigration));
        builder.Services.AddSingleton<ICliVerb>(provider => ActivatorUtilities.CreateInstance<CheckVerb>(provider, CheckPhase.PostMigration));
        builder.Services.AddUsersCommands();
        replace?.Invoke(builder.Services);
        return builder.Build();
    }

    private static int Help(IEnumerable<ICliVerb> verbs, CliConsole console)
    {
        console.Out.WriteLine("BotCore Migration Portal");
        console.Out.WriteLine();
        console.Out.WriteLine("Without a command it starts the web portal (add --sandbox to run it without MongoDB).");
        console.Out.WriteLine("With a command it runs the command and exits: 0 success, 1 failed or drift found, 2 bad usage or input.");
        console.Out.WriteLine("Add --sandbox to any command to use the simulated targets of Sandbox:Targets (the simulation lasts for that one command).");
        console.Out.WriteLine("Add --help to any command for its options.");
        console.Out.WriteLine();
        foreach (var verb in verbs) console.Out.WriteLine($"  {verb.Usage}\n      {verb.Summary}");
        return ExitCodes.Success;
    }
}
