using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Targets.Leases;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class RehearseVerb(
    MigrationRegistry registry,
    MigrationRehearsal rehearsal,
    TargetRegistry targets,
    BatchOptions batching,
    LeaseOptions leases,
    TimeProvider time,
    ILoggerFactory loggers,
    CliConsole console) : ICliVerb
{
    public string Name => "rehearse";
    public string Usage => "rehearse (--target T | --sandbox) [--to V] [--verbose]";
    public string Summary => "for each migration: up, validate, down, check the catalog is as before, up again (never on Production)";
    public IReadOnlyCollection<string> ValueOptions => ["target", "to"];
    public IReadOnlyCollection<string> FlagOptions => ["sandbox", "verbose"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var targetName = arguments.Value("target");
        if (targetName is not null == arguments.Flag("sandbox"))
        {
            throw new BadInputException("'rehearse' needs either --target T or --sandbox (a fresh simulated database), not both.");
        }
        var target = targetName is null
            ? new SandboxMigrationTarget("sandbox", TargetTier.Development, leases, time, loggers, TimeSpan.Zero)
            : targets.Get(targetName);
        var to = arguments.Version("to") ?? registry.Latest;
        IProgress<RunEvent> progress = arguments.Flag("verbose") ? new ConsoleRunProgress(console.Out) : new Progress<RunEvent>();

        var results = await rehearsal.RehearseAsync(target, to, new RunRequest(CliIdentity.NewRunId(time), CliIdentity.User, batching),
            progress, cancellationToken);
        console.Out.WriteLine($"Rehearsal on {target.Name} ({target.Address}) up to {to}:");
        foreach (var result in results)
        {
            console.Out.WriteLine($"{result.Version}: {(result.Passed ? "passed" : "FAILED")}");
            foreach (var stage in result.Stages) console.Out.WriteLine($"  {(stage.Passed ? "ok  " : "FAIL")} {stage.Name}: {stage.Detail}");
        }
        if (results.Count == 0) console.Out.WriteLine($"Nothing to rehearse: {target.Name} is already at {to}.");
        var passed = results.All(r => r.Passed);
        console.Out.WriteLine(passed ? $"Rehearsal passed for {results.Count} migration(s)." : "Rehearsal FAILED.");
        return passed ? ExitCodes.Success : ExitCodes.Failure;
    }
}
