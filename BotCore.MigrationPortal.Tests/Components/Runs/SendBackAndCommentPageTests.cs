using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>"Send back" and comments on the run page: what each person is offered, what a click records, and what is refused.</summary>
public sealed class SendBackAndCommentPageTests : RunsPageContext
{
    private const string Reason = "the performance review does not cover the 40M trades";

    private async Task<MigrationRun> AwaitingApprovalAsync()
    {
        var run = await Portal.ReadyForApprovalAsync("dev", "1.1.0");
        return await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
    }

    private IRenderedComponent<RunDetail> RenderRun(string id)
    {
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=actions]", Patience);
        return page;
    }

    private static IReadOnlyList<IReadOnlyList<string>> History(IRenderedComponent<RunDetail> page) => RowsOf(page.Find("[data-testid=run-history]"));

    /// <summary>Types into the open reason dialog and confirms it.</summary>
    private async Task AnswerDialogAsync(string text)
    {
        var field = Dialogs.WaitForElement("textarea", Patience);
        await field.InputAsync(new() { Value = text });
        await Dialogs.Find("[data-testid=reason-confirm]").ClickAsync(new());
    }

    private async Task CommentAsync(IRenderedComponent<RunDetail> page, string text)
    {
        await page.Find("textarea[data-testid=comment-text]").InputAsync(new() { Value = text });
        await page.Find("[data-testid=comment-post]").ClickAsync(new());
    }

    private async Task LowerAsync(TestPerson person, Role role) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(person.Name, Token))! with { Role = role }, Token);

    [Fact]
    public async Task Send_back_is_offered_to_an_Approver_who_may_approve_and_to_nobody_else()
    {
        var run = await AwaitingApprovalAsync();

        Assert.Empty(RenderRun(run.Id).FindAll("[data-testid=send-back]"));
        SignIn(Bob);
        var bobs = Render<RunDetail>(p => p.Add(x => x.Id, run.Id));
        bobs.WaitForElement("[data-testid=actions]", Patience);
        Assert.Equal("Send back", TextOf(bobs.Find("[data-testid=send-back]")));
    }

    [Fact]
    public async Task Sending_back_with_a_reason_returns_the_run_to_pre_checks_and_the_page_says_to_whom_and_why()
    {
        var run = await AwaitingApprovalAsync();
        SignIn(Bob);
        var page = RenderRun(run.Id);

        var click = page.Find("[data-testid=send-back]").ClickAsync(new());
        Assert.Contains("to olga, who asked for approval", TextOf(Dialogs.WaitForElement(".mud-dialog", Patience)));
        await AnswerDialogAsync(Reason);
        await click;

        page.WaitForAssertion(() => Assert.Equal("Pre-checks", TextOf(page.Find("[data-testid=run-state]"))), Patience);
        Assert.StartsWith("Sent back to olga by bob at ", TextOf(page.Find("[data-testid=sent-back]")));
        Assert.Contains($"“{Reason}”", TextOf(page.Find("[data-testid=sent-back]")));
        Assert.Equal(["Awaiting approval → Pre-checks", "bob", $"sent back to olga: {Reason}"], History(page)[^1].Skip(1));
        Assert.Empty(page.FindAll("[data-testid=send-back]"));
        WaitForSnackbar("Sent back");
    }

    [Fact]
    public async Task A_sent_back_run_that_was_cancelled_keeps_the_send_back_in_its_history_but_asks_nothing_more()
    {
        var run = await AwaitingApprovalAsync();
        run = await Portal.Runs.SendBackAsync(Bob, run.Id, Reason, run.Revision, Token);
        await Portal.Runs.CancelAsync(Olga, run.Id, run.Revision, Token);

        var page = RenderRun(run.Id);

        Assert.Empty(page.FindAll("[data-testid=sent-back]"));
        Assert.Contains(History(page), row => row[1] == "Awaiting approval → Pre-checks" && row[3] == $"sent back to olga: {Reason}");
    }

    [Fact]
    public async Task The_reason_is_required_the_dialog_keeps_Send_back_disabled_until_it_is_long_enough()
    {
        var run = await AwaitingApprovalAsync();
        SignIn(Bob);
        var page = RenderRun(run.Id);

        _ = page.Find("[data-testid=send-back]").ClickAsync(new());
        var field = Dialogs.WaitForElement("textarea", Patience);
        await field.InputAsync(new() { Value = "too short" });

        Dialogs.WaitForAssertion(() => Assert.True(Dialogs.Find("[data-testid=reason-confirm]").HasAttribute("disabled")), Patience);
        Assert.Equal(FreeText.MaximumLength.ToString(), Dialogs.Find("textarea").GetAttribute("maxlength"));
        Assert.Equal(RunState.AwaitingApproval, (await Portal.Runs.GetAsync(run.Id, Token)).State);
    }

    [Fact]
    public async Task Sending_back_a_run_someone_sent_back_while_the_reason_was_being_written_is_refused_and_nothing_is_recorded()
    {
        var run = await AwaitingApprovalAsync();
        SignIn(Bob);
        var page = RenderRun(run.Id);
        var click = page.Find("[data-testid=send-back]").ClickAsync(new());
        Dialogs.WaitForElement("textarea", Patience);

        await Portal.Runs.SendBackAsync(Alice, run.Id, "alice was quicker with her reason", run.Revision, Token);
        await AnswerDialogAsync(Reason);
        await click;

        // Which sentence depends on whether the page's live follow reloaded the run before the click: the revision it sends is then current.
        WaitForSnackbar($"Run {run.Id} ");
        Assert.Contains(Snackbars.FindAll(".mud-snackbar-content-message").Select(TextOf), message =>
            message.StartsWith($"Run {run.Id} changed since your page showed it", StringComparison.Ordinal)
            || message == $"Run {run.Id} is in pre-checks: only a run awaiting approval is sent back to the person who asked.");
        Assert.Equal("alice", (await Portal.Runs.GetAsync(run.Id, Token)).SentBack!.By);
        Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.RunSentBack);
    }

    [Fact]
    public async Task Sending_back_on_a_page_opened_while_an_Approver_is_refused_once_he_is_an_Operator()
    {
        var run = await AwaitingApprovalAsync();
        SignIn(Bob);
        var page = RenderRun(run.Id);
        await LowerAsync(Bob, Role.Operator);

        var click = page.Find("[data-testid=send-back]").ClickAsync(new());
        await AnswerDialogAsync(Reason);
        await click;

        WaitForSnackbar("bob (Operator) may not send runs back: it needs the Approver role.");
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((RunState.AwaitingApproval, null, run.Revision), (stored.State, stored.SentBack, stored.Revision));
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused);
        Assert.Equal(("bob", $"tried to send back run {run.Id}: bob (Operator) may not send runs back: it needs the Approver role."), (refused.User, refused.Details));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=send-back]")), Patience);
    }

    [Fact]
    public async Task A_comment_is_posted_shown_in_the_history_with_author_and_time_and_the_box_is_emptied()
    {
        var run = await AwaitingApprovalAsync();
        SignIn(Bob);
        var page = RenderRun(run.Id);
        Assert.True(page.Find("[data-testid=comment-post]").HasAttribute("disabled"));

        await CommentAsync(page, "Can this wait until after the quarterly close?");

        page.WaitForAssertion(() => Assert.Equal(["Comment", "bob", "Can this wait until after the quarterly close?"], History(page)[^1].Skip(1)), Patience);
        var stored = Assert.Single((await Portal.Runs.GetAsync(run.Id, Token)).Comments);
        Assert.Equal(stored.At.ToString("u"), History(page)[^1][0]);
        Assert.Equal("", page.Find("textarea[data-testid=comment-text]").GetAttribute("value") ?? "");
        Assert.Contains(Portal.Audit.Records, r => r.Action == AuditActions.RunCommented && r.User == "bob");
        WaitForSnackbar("Comment added");
    }

    [Fact]
    public async Task The_comment_box_allows_as_many_characters_as_the_service_keeps()
    {
        var run = await AwaitingApprovalAsync();

        var page = RenderRun(run.Id);

        Assert.Equal(FreeText.MaximumLength.ToString(), page.Find("textarea[data-testid=comment-text]").GetAttribute("maxlength"));
    }

    [Fact]
    public async Task A_Viewer_is_offered_no_comment_box()
    {
        var run = await AwaitingApprovalAsync();
        SignIn(Victor);

        var page = RenderRun(run.Id);

        Assert.Empty(page.FindAll("[data-testid=comment-box]"));
        Assert.NotEmpty(History(page));
    }

    [Fact]
    public async Task Commenting_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var run = await AwaitingApprovalAsync();
        var page = RenderRun(run.Id);
        await LowerAsync(Olga, Role.Viewer);

        await CommentAsync(page, "window moved to 22:00");

        WaitForSnackbar("olga (Viewer) may not comment on runs: it needs the Operator role.");
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((run.Revision, 0), (stored.Revision, stored.Comments.Count));
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused);
        Assert.Equal(("olga", "Viewer"), (refused.User, refused.Role));
        Assert.StartsWith($"tried to comment on run {run.Id}", refused.Details);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=comment-box]")), Patience);
    }
}
