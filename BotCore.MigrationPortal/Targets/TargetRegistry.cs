using System.Collections.Concurrent;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets.Leases;
using BotCore.MigrationPortal.Targets.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>A configured target as the portal lists it, before anyone connects to it.</summary>
public sealed record TargetDescriptor(string Name, TargetTier Tier, string Address, bool IsSandbox);

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
    private readonly SandboxFaults? sandboxFaults;
    private readonly ConcurrentDictionary<string, Lazy<IMigrationTarget>> targets = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="sandboxFaults">What the simulated targets are told to fail, in a sandbox portal.</param>
    public TargetRegistry(IConfiguration configuration, bool sandbox, LeaseOptions leaseOptions, TimeProvider time, ILoggerFactory loggers, TimeSpan sandboxStepDelay,
        SandboxFaults? sandboxFaults = null)
    {
        this.sandbox = sandbox;
        this.leaseOptions = leaseOptions;
        this.time = time;
        this.loggers = loggers;
        this.sandboxStepDelay = sandboxStepDelay;
        this.sandboxFaults = sandboxFaults;
        options = configuration.GetSection(sandbox ? TargetOptions.SandboxSection : TargetOptions.Section).GetChildren()
            .ToDictionary(section => section.Key, section => section.Get<TargetOptions>() ?? new TargetOptions(), StringComparer.OrdinalIgnoreCase);
    }

    public bool IsSandbox => sandbox;

    public IReadOnlyList<TargetDescriptor> All => options
        .OrderBy(pair => pair.Value.Tier).ThenBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => new TargetDescriptor(pair.Key, pair.Value.Tier,
            sandbox ? $"sandbox://{pair.Key}" : ConnectionStringRedactor.Redact(pair.Value.ConnectionString, pair.Value.Database), sandbox))
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

    private IMigrationTarget Create(string name, TargetOptions target) =>
        sandbox
            ? new SandboxMigrationTarget(name, target.Tier, leaseOptions, time, loggers, sandboxStepDelay, sandboxFaults)
            : new MongoMigrationTarget(name, target, new MongoClient(ClientSettings(name, target)), leaseOptions, time, loggers);

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
