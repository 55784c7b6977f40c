using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>The one rule for transactions (runner and migration page alike), and the runner asking it, on the sandbox.</summary>
public sealed class TransactionSupportTests
{
    private readonly EngineHarness engine = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SchemaCatalog At100 => EngineHarness.Migrations.ExpectedCatalogAt(V("1.0.0"));

    /// <summary>1.1.0's paper accounts step: a data step over users and paper_trading_accounts.</summary>
    private static IMigrationStep AccountsStep => EngineHarness.Migrations.Migrations.Single(m => m.Version == V("1.1.0")).Steps.Single(s => s.Kind == StepKind.Data);

    private static CustomStep Touching(string collection) =>
        new("touch " + collection, (_, _) => Task.FromResult(StepOutcome.Done("")), "untouch", (_, _) => Task.FromResult(StepOutcome.Done("")), [collection]);

    [Theory]
    [InlineData(TargetTopology.ReplicaSet, true)]
    [InlineData(TargetTopology.Sharded, true)]
    [InlineData(TargetTopology.Standalone, false)]
    public void A_data_step_over_ordinary_collections_is_transactional_exactly_where_the_server_has_transactions(TargetTopology topology, bool transactional)
    {
        var support = TransactionSupport.For(AccountsStep, At100, topology);

        Assert.Equal(transactional, support.Transactional);
        Assert.Contains(transactional ? "commit together with its checkpoint" : "standalone server", support.Reason);
    }

    [Theory]
    [InlineData(TargetTopology.ReplicaSet)]
    [InlineData(TargetTopology.Standalone)]
    public void A_schema_step_never_is(TargetTopology topology)
    {
        var create = EngineHarness.Migrations.Migrations.Single(m => m.Version == V("1.0.0")).Steps.First(s => s.Kind == StepKind.Schema);

        var support = TransactionSupport.For(create, SchemaCatalog.Empty, topology);

        Assert.False(support.Transactional);
        Assert.StartsWith("a schema step", support.Reason);
    }

    [Fact]
    public void A_data_step_that_writes_to_a_time_series_is_not_even_on_a_replica_set()
    {
        Assert.Equal(CollectionType.TimeSeries, At100.Get("market_data").Type);

        var support = TransactionSupport.For(Touching("market_data"), At100, TargetTopology.ReplicaSet);

        Assert.False(support.Transactional);
        Assert.Contains("time-series collection market_data", support.Reason);
        Assert.True(TransactionSupport.For(Touching("trades"), At100, TargetTopology.ReplicaSet).Transactional);
    }

    [Fact]
    public void The_migration_page_s_line_is_the_rule_asked_for_a_replica_set_and_a_standalone_server()
    {
        Assert.Equal("yes on a replica set or sharded cluster (each batch's writes commit with its checkpoint); no on a standalone server",
            TransactionSupport.Describe(AccountsStep, At100));
        Assert.StartsWith("no: it writes to the time-series collection market_data", TransactionSupport.Describe(Touching("market_data"), At100));
    }

    [Theory]
    [InlineData("{ isWritablePrimary: true, setName: 'rs0' }", TargetTopology.ReplicaSet)]
    [InlineData("{ isWritablePrimary: true, msg: 'isdbgrid' }", TargetTopology.Sharded)]
    [InlineData("{ isWritablePrimary: true }", TargetTopology.Standalone)]
    public void The_topology_is_read_from_hello_and_the_portal_store_s_change_streams_follow_the_same_rule(string hello, TargetTopology topology)
    {
        var reply = BsonDocument.Parse(hello);

        Assert.Equal(topology, TargetTopologies.FromHello(reply));
        Assert.Equal(topology != TargetTopology.Standalone, PortalDatabase.ServesChangeStreams(reply));
    }

    [Theory]
    [InlineData(TargetTopology.ReplicaSet, "transactional: yes, on a replica set each batch's writes commit together with its checkpoint")]
    [InlineData(TargetTopology.Standalone, "transactional: no, a standalone server has no transactions")]
    public async Task The_runner_asks_the_rule_for_the_target_s_topology_and_hands_the_answer_to_the_data_step(TargetTopology topology, string expected)
    {
        var target = new SandboxMigrationTarget("sandbox", TargetTier.Development, new(), engine.Time, NullLoggerFactory.Instance, TimeSpan.Zero,
            topology: topology);
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.1.0", progress, cancellationToken: Token);

        Assert.True(result.Succeeded);
        Assert.Equal(topology, await target.ReadTopologyAsync(Token));
        var dataStepLogs = progress.OfKind(RunEventKind.Log).Where(e => e.Message.StartsWith("Sandbox: the simulated database holds no documents")).ToList();
        Assert.Single(dataStepLogs);
        Assert.Contains($"(on MongoDB, {expected}", dataStepLogs[0].Message);
    }

    [Fact]
    public async Task A_sandbox_target_is_a_replica_set_unless_its_settings_say_otherwise()
    {
        var targets = new TargetRegistry(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Targets:rs:Tier"] = "Development",
            ["Sandbox:Targets:single:Tier"] = "Development",
            ["Sandbox:Targets:single:Topology"] = "Standalone",
        }).Build(), sandbox: true, new(), engine.Time, NullLoggerFactory.Instance, TimeSpan.Zero, EngineHarness.Migrations);

        Assert.Equal(TargetTopology.ReplicaSet, await targets.Get("rs").ReadTopologyAsync(Token));
        Assert.Equal(TargetTopology.Standalone, await targets.Get("single").ReadTopologyAsync(Token));
    }
}
