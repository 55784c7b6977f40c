using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Fixes;

/// <summary>
/// A data fix as a run of the portal on the sandbox: prepared by an Operator, backed up, approved by a second person, run by its job;
/// the schema version never moves, the target's fix journal says what happened, a second run changes nothing, and the undo brings
/// the documents back. The sandbox simulates the documents that need the fix.
/// </summary>
public sealed class FixRunTests : IDisposable
{
    private const string TradesFix = "2026-12-02-trades-missing-status";
    private static readonly SchemaVersion V100 = SchemaVersion.Parse("1.0.0");
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    private RegisteredFix Fix => FixRegistry.FromAssembly(typeof(Migration).Assembly).Get(TradesFix);

    private async Task<SandboxMigrationTarget> DevWithTradesNeedingTheFixAsync(long documents)
    {
        var dev = (SandboxMigrationTarget)portal.Targets.Get("dev");
        Assert.True((await new EngineHarness(portal.Registry).MigrateAsync(dev, "1.0.0", cancellationToken: Token)).Succeeded);
        dev.SimulateDocumentsNeedingFix(TradesFix, documents);
        return dev;
    }

    private async Task<MigrationRun> RunAsync(bool undo = false, MigrationRun? prepared = null)
    {
        var run = prepared ?? await portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo, Token);
        run = await portal.ReadyForApprovalAsync(run);
        run = await portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
        Assert.Equal(RunState.Queued, run.State);
        return await portal.ExecuteAsync(run);
    }

    [Fact]
    public async Task A_fix_run_has_the_fix_template_never_moves_the_version_and_is_journalled_and_audited()
    {
        var dev = await DevWithTradesNeedingTheFixAsync(250);

        var prepared = await portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo: false, Token);

        Assert.Equal((RunKind.Fix, RunState.PreChecks), (prepared.Kind, prepared.State));
        Assert.Equal((V100, V100), (prepared.From, prepared.To));
        Assert.Equal(new RunFix(TradesFix, Fix.Checksum, "trades", Fix.Description), prepared.Fix);
        Assert.Equal($"Fix {TradesFix}", prepared.Title());
        Assert.DoesNotContain(prepared.Checklist, i => i.ItemId is ChecklistTemplate.CurrentVersion or ChecklistTemplate.VersionUpdated or ChecklistTemplate.Executed);
        Assert.Contains(prepared.Checklist, i => i.ItemId == ChecklistTemplate.Backup);
        Assert.Equal(ItemStatus.Passed, prepared.Item(ChecklistTemplate.FixSource)!.Status);
        Assert.StartsWith("250 documents of trades need the fix now", prepared.Item(ChecklistTemplate.FixDocuments)!.Evidence);
        Assert.Contains("never applied", prepared.Item(ChecklistTemplate.FixJournalChecked)!.Evidence);

        var run = await RunAsync(prepared: prepared);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(V100, (await dev.ReadHistoryAsync(Token)).Applied);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.FixValidated)!.Status);
        Assert.Contains("the idempotency rule now matches 0 documents", run.Item(ChecklistTemplate.FixValidated)!.Evidence);
        Assert.Contains("schema version unchanged at 1.0.0", run.Item(ChecklistTemplate.FixJournaled)!.Evidence);
        var entry = Assert.Single(await dev.ReadFixJournalAsync(Token));
        Assert.Equal((TradesFix, Fix.Checksum, FixJournalEntry.Applied, 250L, run.Id), (entry.FixId, entry.Checksum, entry.Action, entry.DocumentsChanged, entry.RunId));
        Assert.Equal($"olga, approved by bob (portal run {run.Id})", entry.By);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.FixRunCreated && r.User == Olga.Name && r.RunId == prepared.Id);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.FixApplied && r.RunId == run.Id && r.Details.Contains("250 documents changed"));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.Approved && r.User == Bob.Name && r.RunId == run.Id);
        // The run page's progress: the fix's one step, with its batches, from the events the job recorded.
        var events = (await portal.Events.ReadAsync(run.Id, 0, Token)).Select(e => e.Event).ToList();
        var progress = BotCore.MigrationPortal.Runs.Events.RunProgress.Build(new Engine.Planning.MigrationPlan(V100, V100, []), events);
        var step = Assert.Single(progress.Steps);
        Assert.Equal((TradesFix, "apply", StepStatus.Done), (step.Version, step.Direction, step.Status));
        Assert.Equal(250, step.Batch!.Processed);
        Assert.Contains(events, e => e.Kind == Engine.Running.RunEventKind.ValidationFinished && e.Passed == true);
    }

    [Fact]
    public async Task Run_twice_the_fix_changes_nothing_the_second_time_and_its_undo_restores_the_documents()
    {
        var dev = await DevWithTradesNeedingTheFixAsync(40);
        await RunAsync();

        var again = await RunAsync();

        Assert.Equal(RunState.Succeeded, again.State);
        Assert.Equal([40L, 0L], (await dev.ReadFixJournalAsync(Token)).Select(e => e.DocumentsChanged));
        Assert.Contains("0 simulated documents fixed", again.Item(ChecklistTemplate.FixExecuted)!.Evidence);

        var undone = await RunAsync(undo: true);

        Assert.Equal((RunKind.FixUndo, RunState.Succeeded), (undone.Kind, undone.State));
        Assert.Equal($"Undo fix {TradesFix}", undone.Title());
        var last = (await dev.ReadFixJournalAsync(Token))[^1];
        Assert.Equal((FixJournalEntry.Undone, 40L), (last.Action, last.DocumentsChanged));
        Assert.Equal(40, await dev.CountNeedingFixAsync(Fix.Definition, Token));
        Assert.Equal(V100, (await dev.ReadHistoryAsync(Token)).Applied);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.FixUndone && r.RunId == undone.Id);
    }

    [Fact]
    public async Task A_fix_on_a_target_without_its_collection_fails_its_documents_pre_check_with_a_sentence()
    {
        var run = await portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo: false, Token);

        var documents = run.Item(ChecklistTemplate.FixDocuments)!;
        Assert.Equal(ItemStatus.Failed, documents.Status);
        Assert.StartsWith("dev has no collection trades (it is at 0.0.0): the fix has nothing to change there.", documents.Evidence);
    }

    [Fact]
    public async Task The_undo_of_a_fix_never_applied_does_not_pass_its_pre_checks()
    {
        await DevWithTradesNeedingTheFixAsync(5);

        var run = await portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo: true, Token);

        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.FixJournalChecked)!.Status);
        Assert.Contains("There is no application of it to undo", run.Item(ChecklistTemplate.FixJournalChecked)!.Evidence);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.FixDocuments)!.Status);
        run = await portal.ReadyForApprovalAsync(run);
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token));
        Assert.Contains("not ready for approval", refused.Message);
    }

    [Fact]
    public async Task A_fix_whose_source_changed_since_the_run_was_created_fails_its_pre_check()
    {
        await DevWithTradesNeedingTheFixAsync(5);
        var run = await portal.Runs.CreateFixAsync(Olga, "dev", Fix, undo: false, Token);
        // As if the run had been created by a build whose fix file was another.
        var stale = await portal.Repository.UpdateAsync(run.Id, r => r with { Fix = r.Fix! with { Checksum = new string('a', 64) } }, "test", Token);

        var checkedAgain = await portal.Runs.RunPreChecksAsync(Olga, stale.Id, stale.Revision, Token);

        Assert.Equal(ItemStatus.Failed, checkedAgain.Item(ChecklistTemplate.FixSource)!.Status);
        Assert.Contains("changed since the run was created: it was aaaaaaaaaaaa", checkedAgain.Item(ChecklistTemplate.FixSource)!.Evidence);
    }

    [Fact]
    public async Task A_Viewer_may_not_prepare_a_fix_run_and_the_refusal_is_audited()
    {
        await DevWithTradesNeedingTheFixAsync(5);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.CreateFixAsync(Victor, "dev", Fix, undo: false, Token));

        Assert.Contains("prepare fix runs", refused.Message);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == Victor.Name);
        Assert.Null(await portal.Store.LatestForTargetAsync("dev", Token));
    }

    [Fact]
    public async Task A_failed_fix_is_not_rolled_back_as_a_migration_its_undo_is_the_way_back()
    {
        var run = new MigrationRun
        {
            Id = "run-fix", Target = "dev", Tier = Engine.Ports.TargetTier.Development, From = V100, To = V100, Kind = RunKind.Fix, Checksums = [],
            RequestedBy = Olga.Name, State = RunState.Failed, Fix = RunFix.Of(Fix),
        };

        var verdict = RunRules.Check(RunAction.EmergencyRollback, run, new Actor(Olga.Name, Role.Operator));

        Assert.False(verdict.Allowed);
        Assert.Contains($"prepare the undo of {TradesFix}", verdict.Refusal);
        Assert.False(RunRules.Check(RunAction.CreateRollback, run with { State = RunState.Succeeded }, new Actor(Olga.Name, Role.Operator)).Allowed);
    }

    [Fact]
    public async Task A_fix_walking_a_simulated_collection_is_paused_at_a_batch_boundary_and_resumed_to_the_end()
    {
        using var walking = new PortalHarness(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Targets:dev:Documents:trades"] = "150000",
            ["Sandbox:DocumentsPerSecond"] = "50000",
            ["Migrations:Batching:PauseMilliseconds"] = "0",
        });
        var dev = (SandboxMigrationTarget)walking.Targets.Get("dev");
        Assert.True((await new EngineHarness(walking.Registry).MigrateAsync(dev, "1.0.0", cancellationToken: Token)).Succeeded);
        dev.SimulateDocumentsNeedingFix(TradesFix, 7);
        var run = await walking.ReadyForApprovalAsync(await walking.Runs.CreateFixAsync(Olga, "dev", Fix, undo: false, Token));
        run = await walking.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await walking.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, Token);
        var job = walking.ExecuteAsync(run);
        var running = await WaitForAsync(walking, run.Id, r => r.State == RunState.Running);

        var asked = await walking.Runs.PauseAsync(Olga, running.Id, running.Revision, Token);
        var paused = await WaitForAsync(walking, run.Id, r => r.Pause?.Reached is not null);
        Assert.Equal((150_000, true), (paused.Pause!.Reached!.Total, paused.Pause.Reached.Simulated));
        Assert.False(job.IsCompleted);
        await walking.Runs.ResumeAsync(Olga, paused.Id, paused.Revision, Token);
        var ended = await job;

        Assert.Equal(RunState.Succeeded, ended.State);
        Assert.Equal("olga", asked.Pause!.By);
        Assert.Equal(7, Assert.Single(await dev.ReadFixJournalAsync(Token)).DocumentsChanged);
    }

    private static async Task<MigrationRun> WaitForAsync(PortalHarness harness, string id, Func<MigrationRun, bool> condition)
    {
        for (var waited = 0; ; waited++)
        {
            var run = await harness.Runs.GetAsync(id, Token);
            if (condition(run)) return run;
            Assert.True(waited < 400, $"Run {id} did not get there: {run.State}");
            await Task.Delay(50, Token);
        }
    }

    [Fact]
    public async Task A_fix_run_cancelled_while_it_runs_stops_is_not_undone_by_itself_and_says_so_in_the_journal()
    {
        // legacy (Production), adopted first: it has trades, and adopting it touches no step, so the sandbox's step delay only slows the fix.
        using var slow = new PortalHarness(stepDelayMilliseconds: 4000);
        var adoption = await slow.Runs.CreateAdoptionAsync(Ada, "legacy", SchemaVersion.Parse("1.2.0"), "built by the spec's scripts 1.0.0-1.2.0", false, Token);
        adoption = await slow.Runs.RequestApprovalAsync(Ada, adoption.Id, adoption.Revision, Token);
        Assert.Equal(RunState.Succeeded, (await slow.ExecuteAsync(await slow.Runs.ApproveAsync(Alice, adoption.Id, adoption.Revision, true, "legacy", Token))).State);
        ((SandboxMigrationTarget)slow.Targets.Get("legacy")).SimulateDocumentsNeedingFix(TradesFix, 10);
        var run = await slow.ReadyForApprovalAsync(await slow.Runs.CreateFixAsync(Olga, "legacy", Fix, undo: false, Token));
        run = await slow.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
        run = await slow.Runs.ApproveAsync(Bob, run.Id, run.Revision, andRun: true, "legacy", Token);
        var job = slow.ExecuteAsync(run);
        var running = await slow.Runs.GetAsync(run.Id, Token);
        for (var waited = 0; running.State != RunState.Running && waited < 100; waited++)
        {
            await Task.Delay(50, Token);
            running = await slow.Runs.GetAsync(run.Id, Token);
        }

        await slow.Runs.CancelAsync(Olga, running.Id, running.Revision, Token);
        var ended = await job;

        Assert.Equal(RunState.Failed, ended.State);
        Assert.Contains("cancelled by olga", ended.Error);
        Assert.Contains("run the fix again to finish it", ended.Error);
        Assert.Equal(FixJournalEntry.Stopped, Assert.Single(await slow.Targets.Get("legacy").ReadFixJournalAsync(Token)).Action);
        Assert.False(RunRules.Check(RunAction.EmergencyRollback, ended, new Actor(Olga.Name, Role.Operator)).Allowed);
    }
}
