using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>The engine as the portal composes it, with the migrations of this build, for tests.</summary>
internal sealed class EngineHarness
{
    public EngineHarness(MigrationRegistry? registry = null, TimeProvider? time = null)
    {
        Registry = registry ?? Migrations;
        Time = time ?? TimeProvider.System;
        Planner = new MigrationPlanner(Registry);
        Runner = new MigrationRunner(Time, NullLogger<MigrationRunner>.Instance);
    }

    public static MigrationRegistry Migrations { get; } = MigrationRegistry.FromAssembly(typeof(Migration).Assembly);

    public MigrationRegistry Registry { get; }
    public TimeProvider Time { get; }
    public MigrationPlanner Planner { get; }
    public MigrationRunner Runner { get; }

    public static SchemaVersion V(string text) => SchemaVersion.Parse(text);

    public SandboxMigrationTarget Sandbox(TargetTier tier = TargetTier.Development, LeaseOptions? lease = null) =>
        new("sandbox", tier, lease ?? new LeaseOptions(), Time, NullLoggerFactory.Instance, TimeSpan.Zero);

    public MongoMigrationTarget Mongo(IMongoClient client, string database, LeaseOptions? lease = null) =>
        new("it", new TargetOptions { ConnectionString = "mongodb://integration-test/", Database = database }, client, lease ?? new LeaseOptions(),
            Time, NullLoggerFactory.Instance);

    public static RunRequest Request(BatchOptions? batching = null) =>
        new($"test-{Guid.NewGuid():N}"[..17], "tester", batching ?? new BatchOptions(100, 0));

    /// <summary>Plans from the target's history to <paramref name="to"/> and runs the plan, as <c>up</c>/<c>down</c> do.</summary>
    public async Task<RunResult> MigrateAsync(IMigrationTarget target, string to, IProgress<RunEvent>? progress = null,
        BatchOptions? batching = null, CancellationToken cancellationToken = default)
    {
        var history = await target.ReadHistoryAsync(cancellationToken);
        var plan = Planner.Plan(history.Applied, V(to), history);
        return await Runner.RunAsync(target, plan, Request(batching), progress ?? new RecordingProgress(), cancellationToken);
    }
}
