using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>
/// Adopting the database the spec's scripts built (the simulated target legacy, Production) as a run: who may, four eyes on
/// Production, none elsewhere, the database changing meanwhile, a close match accepted in writing, and what it leaves behind.
/// </summary>
public sealed class AdoptionRunTests : IDisposable
{
    private static readonly SchemaVersion V120 = SchemaVersion.Parse("1.2.0");
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task On_Production_an_Admin_creates_it_another_person_approves_and_its_job_records_the_version_and_a_baselined_changelog()
    {
        var run = await portal.Runs.CreateAdoptionAsync(Ada, "legacy", V120, "built by the spec's scripts 1.0.0-1.2.0 in 2025", false, Token);

        Assert.Equal((RunKind.Baseline, RunState.PreChecks, TargetTier.Production), (run.Kind, run.State, run.Tier));
        Assert.Equal((V120, V120), (run.From, run.To));
        Assert.Equal(["1.0.0", "1.1.0", "1.2.0"], run.Checksums.Select(c => c.Version.ToString()));
        Assert.Equal(
            [ChecklistTemplate.BaselineComparison, ChecklistTemplate.BaselineDocuments, ChecklistTemplate.BaselineRecorded],
            run.Checklist.Select(i => i.ItemId));
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.BaselineComparison)!.Status);
        Assert.StartsWith("matches 1.2.0", run.Item(ChecklistTemplate.BaselineComparison)!.Evidence);
        Assert.Contains("deletes 1 other", run.Item(ChecklistTemplate.BaselineDocuments)!.Evidence);
        Assert.DoesNotContain(RunAction.BackUp, RunRules.Allowed(run, Ada));

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.StartAsync(Ada, run.Id, run.Revision, Token));
        Assert.Contains("has not been approved", refused.Message);
        run = await portal.Runs.RequestApprovalAsync(Ada, run.Id, run.Revision, Token);
        var own = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ApproveAsync(Ada, run.Id, run.Revision, false, Token));
        Assert.Contains("Four eyes", own.Message);
        run = await portal.Runs.ApproveAsync(Alice, run.Id, run.Revision, andRun: true, typedTargetName: "legacy", Token);
        Assert.Equal(RunState.Queued, run.State);

        run = await portal.ExecuteAsync(run);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.BaselineRecorded)!.Status);
        var history = await portal.Targets.Get("legacy").ReadHistoryAsync(Token);
        Assert.Equal(V120, history.Applied);
        Assert.True(history.IsAdopted);
        Assert.All(history.Changelog, e => Assert.Equal((ChangelogEntry.Baselined, run.Id), (e.Status, e.RunId)));
        Assert.Contains("approved by alice", history.Changelog[0].Note);
        Assert.Single((await portal.Targets.Get("legacy").ReadForAdoptionAsync(Token)).VersionDocuments);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.AdoptionCreated && r.User == Ada.Name && r.Details.Contains("built by the spec's scripts"));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.TargetAdopted && r.RunId == run.Id);

        // Adopted, it is planned like any target: 1.3.0 is pending.
        var next = await portal.Runs.CreateAsync(Olga, "legacy", SchemaVersion.Parse("1.3.0"), Token);
        Assert.Equal((V120, SchemaVersion.Parse("1.3.0")), (next.From, next.To));
    }

    [Theory]
    [InlineData("olga")]
    [InlineData("alice")]
    [InlineData("victor")]
    public async Task Only_an_Admin_adopts_and_a_refusal_is_audited(string name)
    {
        var person = TestPeople.All.Single(p => p.Name == name);

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.CreateAdoptionAsync(person, "legacy", V120, "built by the spec's scripts", false, Token));

        Assert.Contains("adopt databases", refused.Message);
        Assert.Null(await portal.Store.LatestForTargetAsync("legacy", Token));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == name);
    }

    [Fact]
    public async Task Outside_Production_it_runs_without_approval()
    {
        using var oldDev = new PortalHarness(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Targets:olddev:Tier"] = "Development",
            ["Sandbox:Targets:olddev:BuiltBySpecScriptsTo"] = "1.1.0",
        });
        var run = await oldDev.Runs.CreateAdoptionAsync(Ada, "olddev", SchemaVersion.Parse("1.1.0"), "the developers' copy, built by hand", false, Token);

        Assert.DoesNotContain(RunAction.RequestApproval, RunRules.Allowed(run, Ada));
        run = await oldDev.Runs.StartAsync(Ada, run.Id, run.Revision, Token);
        run = await oldDev.ExecuteAsync(run);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Null(run.Approval);
        Assert.Equal(SchemaVersion.Parse("1.1.0"), (await oldDev.Targets.Get("olddev").ReadHistoryAsync(Token)).Applied);
    }

    [Fact]
    public async Task A_database_that_changed_after_the_approval_is_not_adopted_and_nothing_is_written()
    {
        var run = await portal.Runs.CreateAdoptionAsync(Ada, "legacy", V120, "built by the spec's scripts", false, Token);
        run = await portal.Runs.RequestApprovalAsync(Ada, run.Id, run.Revision, Token);
        run = await portal.Runs.ApproveAsync(Alice, run.Id, run.Revision, andRun: true, typedTargetName: "legacy", Token);
        // Someone drops 1.2.0's ai_signals before the job runs.
        await ByHandAsync(new DropCollectionStep(CollectionDefinition.Plain("ai_signals")));

        run = await portal.ExecuteAsync(run);

        Assert.Equal(RunState.NotStarted, run.State);
        Assert.Contains("no longer holds", run.Error);
        Assert.Equal(2, (await portal.Targets.Get("legacy").ReadForAdoptionAsync(Token)).VersionDocuments.Count);
        Assert.Equal(0, (await portal.Targets.Get("legacy").ReadForAdoptionAsync(Token)).ChangelogEntries);
    }

    [Fact]
    public async Task A_close_match_is_adopted_only_with_its_differences_accepted_in_writing_and_bound_to_them()
    {
        await DropIndexAsync("ai_signals", "idx_ai_signals_id_unique");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.CreateAdoptionAsync(Ada, "legacy", V120, "built by the spec's scripts", false, Token));
        Assert.Contains("close to 1.2.0", refused.Message);

        var run = await portal.Runs.CreateAdoptionAsync(Ada, "legacy", V120, "the index is rebuilt next week", true, Token);
        Assert.Equal(ItemStatus.Passed, run.Item(ChecklistTemplate.BaselineComparison)!.Status);
        Assert.Contains("idx_ai_signals_id_unique", Assert.Single(run.Adoption!.AcceptedDifferences));

        // Another difference appears: what was accepted no longer describes the database.
        await DropIndexAsync("ai_analysis_results", "idx_ai_analysis_ttl");
        run = await portal.Runs.RunPreChecksAsync(Ada, run.Id, run.Revision, Token);
        Assert.Equal(ItemStatus.Failed, run.Item(ChecklistTemplate.BaselineComparison)!.Status);
        Assert.Contains("changed since the run was created", run.Item(ChecklistTemplate.BaselineComparison)!.Evidence);
    }

    [Fact]
    public async Task An_adopted_target_is_not_adopted_twice_and_a_failed_adoption_offers_no_emergency_rollback()
    {
        var run = await portal.Runs.CreateAdoptionAsync(Ada, "legacy", V120, "built by the spec's scripts", false, Token);
        run = await portal.Runs.RequestApprovalAsync(Ada, run.Id, run.Revision, Token);
        await portal.ExecuteAsync(await portal.Runs.ApproveAsync(Alice, run.Id, run.Revision, andRun: true, typedTargetName: "legacy", Token));

        var again = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.CreateAdoptionAsync(Ada, "legacy", V120, "built by the spec's scripts", false, Token));
        Assert.Contains("already has a migration changelog", again.Message);
        var failed = run with { State = RunState.Failed };
        Assert.Contains("nothing to roll back", RunRules.Check(RunAction.EmergencyRollback, failed, Ada).Refusal);
    }

    private Task DropIndexAsync(string collection, string index) => ByHand.DropIndexAsync(portal.Targets.Get("legacy"), collection, index, Token);

    private async Task ByHandAsync(IMigrationStep step)
    {
        var target = portal.Targets.Get("legacy");
        await ByHand.ExecuteAsync(target, step, (await target.ReadForAdoptionAsync(Token)).Collections, Token);
    }
}
