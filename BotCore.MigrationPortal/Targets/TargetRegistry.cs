using System.Collections.Concurrent;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>A configured target as the portal lists it, before anyone connects to it.</summary>
/// <param name="RollBackOnFailedValidation">Whether a run whose validation fails is rolled back at once (<see cref="TargetOptions.RollBackOnFailedValidation"/>).</param>
public sealed record TargetDescriptor(string Name, TargetTier Tier, string Address, bool IsSandbox, bool RollBackOnFailedValidation = true);

/// <summary>
/// The named targets of this portal: from <c>Targets</c> in configuration, or from <c>Sandbox:Targets</c> in
/// sandbox mode, where each is simulated in memory. One client (and one connection pool) per target.
/// </summary>
public sealed class TargetRegistry
{
    private readonly IReadOnlyDictionary<string, TargetOptions> options;
    private readonly bool sandbox;
    private readonly LeaseOptions leaseOptions;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly TimeSpan sandboxStepDelay;
    private readonly MigrationRegistry? migrations;
    private readonly SandboxFaults? sandboxFaults;
    private readonly double documentsPerSecond;
    private readonly ConcurrentDictionary<string, Lazy<IMigrationTarget>> targets = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="migrations">The build's migrations, for a simulated target that starts as a database the spec's scripts built.</param>
    /// <param name="sandboxFaults">What the simulated targets are told to fail, in a sandbox portal.</param>
    public TargetRegistry(IConfiguration configuration, bool sandbox, LeaseOptions leaseOptions, TimeProvider time, ILoggerFactory loggers, TimeSpan sandboxStepDelay,
        MigrationRegistry? migrations = null, SandboxFaults? sandboxFaults = null)
    {
        this.migrations = migrations;
        this.sandbox = sandbox;
        this.leaseOptions = leaseOptions;
        this.time = time;
        this.loggers = loggers;
        this.sandboxStepDelay = sandboxStepDelay;
        this.sandboxFaults = sandboxFaults;
        documentsPerSecond = configuration.GetValue(SimulatedVolume.RateKey, SimulatedVolume.DefaultDocumentsPerSecond);
        options = configuration.GetSection(sandbox ? TargetOptions.SandboxSection : TargetOptions.Section).GetChildren()
            .ToDictionary(section => section.Key, section => section.Get<TargetOptions>() ?? new TargetOptions(), StringComparer.OrdinalIgnoreCase);
    }

    public bool IsSandbox => sandbox;

    public IReadOnlyList<TargetDescriptor> All => options
        .OrderBy(pair => pair.Value.Tier).ThenBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => new TargetDescriptor(pair.Key, pair.Value.Tier,
            sandbox ? $"sandbox://{pair.Key}" : ConnectionStringRedactor.Redact(pair.Value.ConnectionString, pair.Value.Database), sandbox,
            pair.Value.RollBackOnFailedValidation))
        .ToList();

    /// <exception cref="BadInputException">No such target, or it has no usable connection string.</exception>
    public IMigrationTarget Get(string name)
    {
        if (!options.TryGetValue(name, out var target))
        {
            var known = options.Count == 0 ? "none is configured" : $"configured targets are {string.Join(", ", options.Keys.Order())}";
            throw new BadInputException(
                $"Unknown target '{name}': {known}. Add it under {(sandbox ? TargetOptions.SandboxSection : TargetOptions.Section)}:<name> in appsettings.json " +
                "or with environment variables such as Targets__<name>__ConnectionString.");
        }
        return targets.GetOrAdd(options.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)),
            key => new Lazy<IMigrationTarget>(() => Create(key, target))).Value;
    }

    /// <summary>The descriptor of the target named <paramref name="name"/>.</summary>
    /// <exception cref="BadInputException">No such target.</exception>
    public TargetDescriptor Describe(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new BadInputException($"Unknown target '{name}': configured targets are {string.Join(", ", options.Keys.Order())}.");

    private IMigrationTarget Create(string name, TargetOptions target) =>
        sandbox ? CreateSandbox(name, target) : new MongoMigrationTarget(name, target, new MongoClient(ClientSettings(name, target)), leaseOptions, time, loggers);

    private SandboxMigrationTarget CreateSandbox(string name, TargetOptions target)
    {
        var volume = new SimulatedVolume(target.Documents, documentsPerSecond).Validated(name);
        if (target.BuiltBySpecScriptsTo is not { } text)
        {
            return new SandboxMigrationTarget(name, target.Tier, leaseOptions, time, loggers, sandboxStepDelay, sandboxFaults, topology: target.Topology,
                volume: volume);
        }
        if (!SchemaVersion.TryParse(text, out var version) || migrations is null || !migrations.IsKnown(version))
        {
            throw new BadInputException($"Sandbox target '{name}': BuiltBySpecScriptsTo is '{text}', which is not a version this build knows.");
        }
        return new SandboxMigrationTarget(name, target.Tier, leaseOptions, time, loggers, sandboxStepDelay, sandboxFaults,
            SpecScriptsDatabase.Collections(migrations, version), SpecScriptsDatabase.VersionDocuments(version), target.Topology, volume);
    }

    private static MongoClientSettings ClientSettings(string name, TargetOptions target)
    {
        if (string.IsNullOrWhiteSpace(target.ConnectionString))
        {
            throw new BadInputException($"Target '{name}' has no connection string: set Targets__{name}__ConnectionString.");
        }
        MongoClientSettings settings;
        try
        {
            settings = MongoClientSettings.FromConnectionString(target.ConnectionString);
        }
        catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
        {
            // The driver's message repeats the connection string, secrets included: it is not passed on.
            throw new BadInputException($"Target '{name}' has a connection string that is not a valid MongoDB URI: fix Targets__{name}__ConnectionString.");
        }
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(target.TimeoutSeconds);
        settings.ConnectTimeout = TimeSpan.FromSeconds(target.TimeoutSeconds);
        settings.ApplicationName = "botcore-migration-portal";
        return settings;
    }
}
