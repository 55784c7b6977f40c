using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Targets.Sandbox;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.EngineHarness;
using static BotCore.MigrationPortal.Tests.Unit.Sandbox.SandboxFaultTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Sandbox;

/// <summary>The simulated target failing where it was told, run by the real runner: failure, rollback, failed rollback, a partly done data step.</summary>
public sealed class SandboxFaultRunTests
{
    private readonly EngineHarness engine = new();
    private readonly SandboxFaults faults = NewFaults();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_fails_at_the_armed_step_rolls_back_and_the_next_run_succeeds()
    {
        var target = Dev(faults);
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var before = await target.ReadCatalogAsync(Token);
        var key = SchemaStepBeforeFirstDataStepOf130;
        faults.Arm("dev", new SandboxFaultSet(key), "ada");
        var progress = new RecordingProgress();

        var failed = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        // The run's error is a clause for its page and messages to go on: the fault's own period is not kept.
        var message = $"Sandbox fault: step {key} was told to fail (armed by ada)";
        Assert.Equal(RunOutcome.RolledBack, failed.Outcome);
        Assert.Equal(message, failed.Error);
        Assert.Contains(progress.OfKind(RunEventKind.StepFailed), e => e.Message == $"Stopped: {message}");
        Assert.Single(progress.OfKind(RunEventKind.RollbackFinished), e => e.Passed == true);
        Assert.Equal(before, await target.ReadCatalogAsync(Token));
        Assert.True(faults.StateOf("dev").Armed.IsEmpty);
        Assert.Equal([$"step {key}"], faults.StateOf("dev").Fired.Select(f => f.What));

        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
    }

    [Fact]
    public async Task An_armed_undo_makes_the_rollback_after_a_failure_fail_so_manual_intervention_is_required()
    {
        var target = Dev(faults);
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var undo = SchemaStepBeforeFirstDataStepOf130 + SandboxStepKey.UndoSuffix;
        faults.Arm("dev", new SandboxFaultSet(undo, Batch: 1), "ada");
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.3.0", progress, cancellationToken: Token);

        Assert.Equal(RunOutcome.RollbackFailed, result.Outcome);
        Assert.StartsWith($"Sandbox fault: batch 1 of step {FirstDataStepOf130} was told to fail (armed by ada); rollback failed: ", result.Error);
        Assert.Contains($"failed: Sandbox fault: step {undo} was told to fail (armed by ada)", result.Error);
        Assert.DoesNotContain("..", result.Error);
        Assert.Contains(progress.OfKind(RunEventKind.RollbackFinished), e => e.Passed == false && e.Message.StartsWith("ROLLBACK FAILED, MANUAL INTERVENTION REQUIRED"));
        Assert.Equal(2, faults.StateOf("dev").Fired.Count);
        Assert.True(faults.StateOf("dev").Armed.IsEmpty);
    }

    [Fact]
    public async Task A_failing_down_run_as_an_emergency_rollback_would_be_undoes_its_own_steps()
    {
        var target = Dev(faults);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var applied = await target.ReadCatalogAsync(Token);
        // Its fifth step drops risk_metrics' index, after the fields are removed (the application's collections are left).
        faults.Arm("dev", new SandboxFaultSet("1.3.0/down/5"), "ada");

        var result = await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token);

        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Equal("Sandbox fault: step 1.3.0/down/5 was told to fail (armed by ada)", result.Error);
        Assert.Equal(applied, await target.ReadCatalogAsync(Token));
        Assert.Equal(V("1.3.0"), (await target.ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task A_batch_fault_reports_the_batches_before_it_then_fails_the_data_step_which_is_undone()
    {
        var target = Dev(faults);
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var before = await target.ReadCatalogAsync(Token);
        faults.Arm("dev", new SandboxFaultSet(Batch: 3), "ada");
        var progress = new RecordingProgress();

        var result = await engine.MigrateAsync(target, "1.3.0", progress, new BatchOptions(BatchSize: 1000, PauseMilliseconds: 0), Token);

        var step = FirstDataStepOf130;
        Assert.Equal(RunOutcome.RolledBack, result.Outcome);
        Assert.Equal($"Sandbox fault: batch 3 of step {step} was told to fail (armed by ada)", result.Error);
        var number = int.Parse(step.Split('/')[^1]);
        var batches = progress.OfKind(RunEventKind.BatchProgress).Where(e => e.Direction == "up" && e.StepIndex == number).Select(e => e.Batch!).ToList();
        Assert.Equal([(1000L, 3000L), (2000L, 3000L)], batches.Select(b => (b.Processed, b.Total)));
        Assert.Contains(progress.OfKind(RunEventKind.Log), e => e.Message == "Sandbox fault: reporting 2 made-up batch(es) of 1,000 documents before batch 3 fails.");
        // The failed data step may have written some documents: the rollback undoes it too.
        Assert.Contains(progress.OfKind(RunEventKind.StepStarted), e => e.Direction == "rollback" && e.StepIndex == number);
        Assert.Equal(before, (await target.ReadCatalogAsync(Token)).LeftBehindRemoved(before));
    }
}
