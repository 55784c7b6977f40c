using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Checks.Pre;
using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace BotCore.MigrationPortal.Tests.Unit.Phases;

/// <summary>
/// A contract run in sandbox, with the example migrations and a clock the test moves: its checklist is blocked by the contract's gate
/// until the expand has soaked on that target, and the CLI's <c>up</c> is refused with the same sentence.
/// </summary>
public sealed class ContractRunSandboxTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private const string GateName = "Contract 1.5.0 may run: expand 1.4.0 applied and soaked, no document of trades lacks quantity";

    private readonly FakeTimeProvider time = new(Start);
    private readonly ServiceProvider services;
    private readonly PortalHarness portal;

    public ContractRunSandboxTests()
    {
        var collection = new ServiceCollection().AddSandboxRuns(registry: ExpandContractExamples.Registry);
        collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        services = collection.BuildServiceProvider();
        portal = new PortalHarness(services);
    }

    public void Dispose() => services.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task ExpandAppliedOnAsync(string target) =>
        Assert.True((await new EngineHarness(ExpandContractExamples.Registry, time).MigrateAsync(portal.Targets.Get(target), ExpandContractExamples.Expand,
            cancellationToken: Token)).Succeeded);

    private static RecordedCheck Gate(MigrationRun run) => Assert.Single(run.PreMigrationChecks, c => c.CheckId == $"{ContractGateCheck.IdPrefix}1.5.0");

    [Fact]
    public async Task The_contract_runs_checklist_is_blocked_before_the_soak_and_passes_after_it()
    {
        await ExpandAppliedOnAsync("staging");
        time.Advance(TimeSpan.FromHours(3));

        var run = await portal.Runs.CreateAsync(PortalHarness.Olga, "staging", EngineHarness.V(ExpandContractExamples.Contract), Token);

        var blocked = Gate(run);
        Assert.True(blocked.Blocks);
        Assert.Equal("expand 1.4.0 applied 2026-12-01 08:00 UTC, 3 h ago; soak 24 h: 21 h left, contract possible from 2026-12-02 08:00 UTC; " +
            "no document of trades lacks quantity (simulated: the sandbox's collections hold no documents)", blocked.Summary);
        var item = run.Item(ChecklistTemplate.PreValidation)!;
        Assert.Equal(ItemStatus.Failed, item.Status);
        Assert.StartsWith($"Blocked by '{GateName}': expand 1.4.0 applied", item.Evidence);
        Assert.Contains(PreCheckEvaluator.Unsatisfied(run), line => line.Contains("21 h left, contract possible from 2026-12-02 08:00 UTC", StringComparison.Ordinal));

        time.Advance(TimeSpan.FromHours(23));
        run = await portal.Runs.RunPreChecksAsync(PortalHarness.Olga, run.Id, run.Revision, Token);

        var soaked = Gate(run);
        Assert.False(soaked.Blocks);
        Assert.True(soaked.Simulated);
        Assert.StartsWith("expand 1.4.0 applied 2026-12-01 08:00 UTC, 26 h ago; soak 24 h: passed; no document of trades lacks quantity", soaked.Summary);
        Assert.True(run.Item(ChecklistTemplate.PreValidation)!.IsSatisfied);
    }

    [Fact]
    public async Task A_run_through_the_expand_and_the_contract_at_once_is_refused_because_the_expand_is_not_applied()
    {
        var run = await portal.Runs.CreateAsync(PortalHarness.Olga, "dev", EngineHarness.V(ExpandContractExamples.Contract), Token);

        Assert.Equal("expand 1.4.0 of 'rename trades.qty to trades.quantity' is not applied on dev (it is at 0.0.0): apply 1.4.0 first, " +
            "let it soak 24 h, then run the contract", Gate(run).Summary);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.PreValidation)!.Status);
    }

    [Fact]
    public async Task Rolling_the_contract_back_is_not_gated()
    {
        await ExpandAppliedOnAsync("dev");
        time.Advance(TimeSpan.FromHours(25));
        Assert.True((await new EngineHarness(ExpandContractExamples.Registry, time).MigrateAsync(portal.Targets.Get("dev"), ExpandContractExamples.Contract,
            cancellationToken: Token)).Succeeded);

        var rollback = await portal.Runs.CreateRollbackAsync(PortalHarness.Olga, "dev", null, EngineHarness.V(ExpandContractExamples.Expand), Token);

        Assert.DoesNotContain(rollback.PreMigrationChecks, c => c.CheckId.StartsWith(ContractGateCheck.IdPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_job_runs_the_contracts_gate_again_as_it_starts_and_refuses_when_it_no_longer_passes()
    {
        var evaluator = services.GetRequiredService<PreCheckEvaluator>();
        var plan = services.GetRequiredService<MigrationPlanner>().Plan(EngineHarness.V(ExpandContractExamples.Expand), EngineHarness.V(ExpandContractExamples.Contract));

        var refusal = await evaluator.ContractGateRefusalAsync(portal.Targets.Get("dev"), plan, Token);

        Assert.StartsWith("the gate of contract 1.5.0 no longer passes on dev: expand 1.4.0 of 'rename trades.qty to trades.quantity' is not applied on dev", refusal);
        await ExpandAppliedOnAsync("dev");
        time.Advance(TimeSpan.FromHours(25));
        Assert.Null(await evaluator.ContractGateRefusalAsync(portal.Targets.Get("dev"), plan, Token));
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("dev")]
    public async Task The_clis_up_through_a_contract_is_refused_with_the_same_sentence_as_the_portals_checklist_on_every_tier(string target)
    {
        var portalRun = await portal.Runs.CreateAsync(PortalHarness.Olga, target, EngineHarness.V(ExpandContractExamples.Contract), Token);
        var audit = new RecordingAuditLog();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var backups = new TemporaryFolder();

        var exitCode = await CliApplication.RunAsync(["up", "--sandbox", "--target", target, "--to", ExpandContractExamples.Contract], new CliConsole(output, error),
            builder => builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Backups:Location"] = backups.Path }), Token, replace =>
            {
                replace.AddSingleton(ExpandContractExamples.Registry);
                replace.AddSingleton<IAuditLog>(audit);
                replace.AddSingleton<IRunStore>(new InMemoryRunStore());
                replace.AddSingleton<IRunEventStore>(new InMemoryRunEventStore());
            });

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal($"error: Refused: the blocking pre-check '{GateName}' failed on {target}: {Gate(portalRun).Summary}. Nothing was run.", error.ToString().Trim());
        Assert.Contains(audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.Contains(Gate(portalRun).Summary, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(backups.Path));
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("contract-cli-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
