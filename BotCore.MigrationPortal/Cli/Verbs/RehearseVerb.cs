using BotCore.MigrationPortal.Adoption;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class RehearseVerb(
    MigrationRegistry registry,
    MigrationRehearsal rehearsal,
    BaselineWriter baseline,
    TargetRegistry targets,
    PortalMode mode,
    BatchOptions batching,
    LeaseOptions leases,
    TimeProvider time,
    ILoggerFactory loggers,
    CliConsole console) : ICliVerb
{
    public string Name => "rehearse";
    public string Usage => "rehearse (--target T | --sandbox [--target T]) [--baseline V] [--to V] [--verbose]";
    public string Summary =>
        "for each migration (drafts included): up, validate, down, check the catalog is as before, up again (never on a real Production target); " +
        "--sandbox alone rehearses on a fresh simulated database, --baseline first adopts a database built outside the portal at V";
    public IReadOnlyCollection<string> ValueOptions => ["target", "to", "baseline"];
    public IReadOnlyCollection<string> FlagOptions => ["verbose"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var targetName = arguments.Value("target");
        if (targetName is null && !mode.IsSandbox) throw new BadInputException("'rehearse' needs --target T, or --sandbox for a fresh simulated database.");
        var target = targetName is null
            ? new SandboxMigrationTarget("sandbox", TargetTier.Development, leases, time, loggers, TimeSpan.Zero)
            : targets.Get(targetName);
        MigrationRehearsal.RequireRehearsable(target);
        var to = arguments.Version("to") ?? registry.Latest;
        IProgress<RunEvent> progress = arguments.Flag("verbose") ? new ConsoleRunProgress(console.Out) : new Progress<RunEvent>();
        if (arguments.Version("baseline") is { } adoptAt)
        {
            await baseline.AdoptAsync(target, adoptAt, "rehearsal: adopt the database as its scripts left it", CliIdentity.User, CliIdentity.NewRunId(time),
                differencesAccepted: false, cancellationToken);
            console.Out.WriteLine($"Adopted {target.Name} at {adoptAt}.");
        }
        else
        {
            try
            {
                await TargetReading.ReadAdoptedAsync(target, cancellationToken);
            }
            catch (TargetNotAdoptedException e)
            {
                // A simulated target starts afresh in every process, so only adopting it in this rehearsal lasts.
                throw new MigrationEngineException($"{e.Message} Or rehearse it adopted: add --baseline V, the version it is at.", e);
            }
        }

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
        console.Out.WriteLine(passed ? $"Rehearsal passed for {Counted.Of(results.Count, "migration")}." : "Rehearsal FAILED.");
        return passed ? ExitCodes.Success : ExitCodes.Failure;
    }
}
