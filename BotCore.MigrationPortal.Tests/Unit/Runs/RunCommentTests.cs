using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>Comments on a run: by Operators and up, in any state, kept with the run, audited, and in its history in time order.</summary>
public sealed class RunCommentTests : IDisposable
{
    private readonly PortalHarness portal = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => portal.Dispose();

    private Task<MigrationRun> NewRunAsync() => portal.Runs.CreateAsync(Olga, "dev", SchemaVersion.Parse("1.1.0"), Token);

    [Fact]
    public async Task A_comment_is_kept_with_the_run_with_who_and_when_and_audited()
    {
        var run = await NewRunAsync();

        var commented = await portal.Runs.CommentAsync(Alice, run.Id, "  Can this wait until after the quarterly close?  ", Token);

        var comment = Assert.Single(commented.Comments);
        Assert.Equal(("alice", "Can this wait until after the quarterly close?"), (comment.By, comment.Text));
        Assert.Equal(commented.Comments, (await portal.Runs.GetAsync(run.Id, Token)).Comments);
        var audited = Assert.Single(portal.Audit.Records, r => r.Action == AuditActions.RunCommented);
        Assert.Equal(("alice", run.Id, "Can this wait until after the quarterly close?"), (audited.User, audited.RunId, audited.Details));
        Assert.Equal(run.State, commented.State);
    }

    [Fact]
    public async Task The_history_tells_state_changes_and_comments_in_time_order()
    {
        var run = await NewRunAsync();
        run = await portal.Runs.CommentAsync(Olga, run.Id, "created for the 1.1.0 release", Token);
        run = await portal.Runs.CancelAsync(Olga, run.Id, run.Revision, Token);
        run = await portal.Runs.CommentAsync(Bob, run.Id, "cancelled: the release moved to next week", Token);

        var history = RunHistory.Of(run);

        Assert.Equal(
        [
            (RunHistoryKind.StateChange, "Draft → Pre-checks", "olga"),
            (RunHistoryKind.Comment, "Comment", "olga"),
            (RunHistoryKind.StateChange, "Pre-checks → Cancelled", "olga"),
            (RunHistoryKind.Comment, "Comment", "bob"),
        ], history.Select(line => (line.Kind, line.What, line.By)));
        Assert.Equal("cancelled: the release moved to next week", history[^1].Details);
        Assert.Equal(history.OrderBy(line => line.At), history);
    }

    [Fact]
    public async Task A_comment_goes_onto_the_run_as_it_is_now_even_if_it_changed_since_the_page_showed_it()
    {
        var run = await NewRunAsync();
        await portal.Runs.RunPreChecksAsync(Olga, run.Id, run.Revision, Token);

        var commented = await portal.Runs.CommentAsync(Bob, run.Id, "pre-checks look fine to me", Token);

        Assert.Equal(run.Revision + 2, commented.Revision);
        Assert.Single(commented.Comments);
    }

    [Fact]
    public async Task A_Viewer_may_not_comment_and_the_refusal_is_audited()
    {
        var run = await NewRunAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => portal.Runs.CommentAsync(Victor, run.Id, "looks risky", Token));

        Assert.Equal("victor (Viewer) may not comment on runs: it needs the Operator role.", refused.Message);
        Assert.Empty((await portal.Runs.GetAsync(run.Id, Token)).Comments);
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.User == "victor" && r.Details.StartsWith($"tried to comment on run {run.Id}"));
    }

    [Theory]
    [InlineData("   ", "The comment is empty: write it first.")]
    [InlineData(null, "The comment has 2,001 characters; at most 2,000 are kept. Shorten it.")]
    public async Task An_empty_or_too_long_comment_is_refused_and_changes_nothing(string? text, string message)
    {
        var run = await NewRunAsync();

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            portal.Runs.CommentAsync(Olga, run.Id, text ?? new string('x', FreeText.MaximumLength + 1), Token));

        Assert.Equal(message, refused.Message);
        var stored = await portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((run.Revision, 0), (stored.Revision, stored.Comments.Count));
        Assert.DoesNotContain(portal.Audit.Records, r => r.Action == AuditActions.RunCommented);
    }

    [Fact]
    public void Operators_Approvers_and_Admins_may_comment_in_any_state_Viewers_never()
    {
        foreach (var state in Enum.GetValues<RunState>())
        {
            var run = new MigrationRun
            {
                Id = "run-1", Target = "dev", Tier = Engine.Ports.TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.1.0"),
                Checksums = [], RequestedBy = "olga", State = state,
            };
            Assert.All(new[] { Olga, Alice, Ada }, person => Assert.True(RunRules.Check(RunAction.Comment, run, person).Allowed));
            Assert.False(RunRules.Check(RunAction.Comment, run, Victor).Allowed);
        }
    }
}
