using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Shadow;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Shadow;

/// <summary>The example shadow rebuild (2.0.0) run by the runner against the simulated target: up, rollback, and a failure midway.</summary>
public sealed class ShadowSandboxRunTests
{
    private readonly EngineHarness engine = new(ShadowExample.Registry);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_to_2_0_0_swaps_in_the_rebuilt_trades_and_keeps_the_original_then_the_rollback_swaps_back()
    {
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var progress = new RecordingProgress();

        var up = await engine.MigrateAsync(target, "2.0.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, up.Outcome);
        var after = await target.ReadCatalogAsync(Token);
        Assert.Equal(engine.Registry.ExpectedCatalogAt(V("2.0.0")), after);
        Assert.Equal(engine.Registry.ExpectedCatalogAt(V("1.3.0")).Get("trades") with { Name = "trades_before_2_0_0" }, after.Get("trades_before_2_0_0"));
        Assert.Contains(progress.OfKind(RunEventKind.StepStarted), e => e.Message.StartsWith("rebuild trades as trades_shadow"));

        var down = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.Succeeded, down.Outcome);
        Assert.Equal(engine.Registry.ExpectedCatalogAt(V("1.3.0")), await target.ReadCatalogAsync(Token));
        var history = await target.ReadHistoryAsync(Token);
        Assert.Equal(V("1.3.0"), history.Applied);
        Assert.Equal([("2.0.0", "up"), ("2.0.0", "down")], history.Changelog.TakeLast(2).Select(e => (e.Version, e.Direction)));
    }

    [Fact]
    public async Task A_rebuild_that_fails_midway_is_undone_by_the_swap_back_and_leaves_the_catalog_as_it_was()
    {
        var sandbox = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(sandbox, "1.3.0", cancellationToken: Token)).Succeeded);
        var before = await sandbox.ReadCatalogAsync(Token);
        var target = new FailingTarget(sandbox, step => step is ShadowRebuildStep);
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "2.0.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Equal(before, await sandbox.ReadCatalogAsync(Token));
        Assert.Contains(progress.OfKind(RunEventKind.StepStarted), e => e.Message.StartsWith("swap trades back"));
        Assert.Equal(ChangelogEntry.Failed, (await sandbox.ReadHistoryAsync(Token)).Changelog[^1].Status);
    }
}
