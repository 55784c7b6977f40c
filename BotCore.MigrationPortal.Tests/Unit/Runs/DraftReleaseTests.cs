using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>1.3.0 is a draft (the spec's "Pending"): on Production it runs only with an Admin's written release note.</summary>
public sealed class DraftReleaseTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    [Fact]
    public async Task A_Production_run_to_a_draft_waits_for_an_Admins_release_note_which_is_shown_audited_and_makes_her_a_preparer()
    {
        var run = await portal.Runs.CreateAsync(Olga, "production", SchemaVersion.Parse("1.3.0"), Token);

        var item = run.Item(ChecklistTemplate.DraftsReleased)!;
        Assert.Equal(ItemStatus.Failed, item.Status);
        Assert.Contains("1.3.0: draft", item.Evidence);
        Assert.Contains(PreCheckEvaluator.Unsatisfied(run), line => line.Contains("Draft migrations released"));
        Assert.DoesNotContain(RunAction.ReleaseDrafts, RunRules.Allowed(run, Olga));
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ReleaseDraftsAsync(Olga, run.Id, "looks fine to me", run.Revision, Token));
        Assert.Contains("release draft migrations", refused.Message);
        await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ReleaseDraftsAsync(Ada, run.Id, "short", run.Revision, Token));

        run = await portal.Runs.ReleaseDraftsAsync(Ada, run.Id, "risk metrics signed off by the risk team, ticket RISK-42", run.Revision, Token);

        Assert.Equal(ItemStatus.Overridden, run.Item(ChecklistTemplate.DraftsReleased)!.Status);
        Assert.Equal("ada", run.DraftRelease!.By);
        Assert.Equal([SchemaVersion.Parse("1.3.0")], run.DraftRelease.Drafts);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.DraftsReleased && r.User == "ada" && r.Details.Contains("RISK-42"));
        Assert.Contains(RunRules.Preparations(run), p => p.Person == "ada" && p.What == "released its draft migrations");
        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.ReleaseDraftsAsync(Ada, run.Id, "once more with feeling", run.Revision, Token));
        Assert.Contains("already released", again.Message);
    }

    [Theory]
    [InlineData("dev", "1.3.0", "released only for Production")]
    [InlineData("production", "1.2.0", "applies no draft migration")]
    public async Task Outside_Production_or_without_a_draft_no_release_is_needed(string target, string to, string evidence)
    {
        var run = await portal.Runs.CreateAsync(Olga, target, SchemaVersion.Parse(to), Token);

        Assert.Equal(ItemStatus.NotRequired, run.Item(ChecklistTemplate.DraftsReleased)!.Status);
        Assert.Contains(evidence, run.Item(ChecklistTemplate.DraftsReleased)!.Evidence);
        Assert.DoesNotContain(RunAction.ReleaseDrafts, RunRules.Allowed(run, Ada));
    }
}
