using System.Globalization;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// The run page's Production guardrails: the target's name typed before "Approve and run" and "Run" on Production, the schedule
/// dialog (UTC, the name on Production), the schedule shown on the run, cancel and reschedule; and each new action clicked on a
/// page opened before the person lost the role is refused, changes nothing and is audited.
/// </summary>
public sealed class ProductionGuardrailsPageTests : RunsPageContext
{
    private static string InTwoHours => DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    private async Task<MigrationRun> AwaitingApprovalAsync(string target)
    {
        if (target == "production") await Portal.ExecuteAsync(await Portal.QueuedAsync("staging", "1.1.0"));
        var run = await Portal.ReadyForApprovalAsync(target, "1.1.0");
        return await Portal.Runs.RequestApprovalAsync(Olga, run.Id, run.Revision, Token);
    }

    private async Task<MigrationRun> ApprovedAsync(string target = "dev")
    {
        var run = await AwaitingApprovalAsync(target);
        return await Portal.Runs.ApproveAsync(Bob, run.Id, run.Revision, false, Token);
    }

    private async Task<MigrationRun> ScheduledAsync(string target = "dev")
    {
        var run = await ApprovedAsync(target);
        return await Portal.Runs.ScheduleAsync(Olga, run.Id, DateTime.UtcNow.AddHours(2), target, run.Revision, Token);
    }

    private IRenderedComponent<RunDetail> RenderRun(string id)
    {
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=actions]", Patience);
        return page;
    }

    private static IReadOnlyList<string> Actions(IRenderedComponent<RunDetail> page) => ButtonsIn(page.Find("[data-testid=actions]"));

    private static Task ClickAsync(IRenderedComponent<RunDetail> page, string testId) => page.Find($"[data-testid={testId}]").ClickAsync(new());

    [Fact]
    public async Task On_Production_Approve_and_run_asks_for_the_target_name_and_runs_only_once_it_is_typed()
    {
        var run = await AwaitingApprovalAsync("production");
        SignIn(Bob);
        var page = RenderRun(run.Id);

        var clicking = ClickAsync(page, "approve-and-run");
        var field = Dialogs.WaitForElement("input[data-testid=start-confirmation]", Patience);
        var confirm = () => Dialogs.Find("[data-testid=start-confirm]");
        Assert.Equal("Approve and run on production", TextOf(confirm()));
        Assert.Contains("production is a Production target", TextOf(Dialogs.Find("[data-testid=start-dialog]")));
        Assert.True(confirm().HasAttribute("disabled"));
        await field.InputAsync(new() { Value = "Production" });
        Assert.True(confirm().HasAttribute("disabled"));
        await Dialogs.Find("input[data-testid=start-confirmation]").InputAsync(new() { Value = "production" });
        await confirm().ClickAsync(new());
        await clicking;

        WaitForSnackbar("Approved and queued");
        Assert.Equal(run.Id, Portal.Queue.Enqueued[^1]);
        Assert.Equal(RunState.Queued, (await Portal.Runs.GetAsync(run.Id, Token)).State);
    }

    [Fact]
    public async Task On_Production_Run_cancelled_in_its_dialog_does_nothing()
    {
        var production = await ApprovedAsync("production");
        var page = RenderRun(production.Id);

        var clicking = ClickAsync(page, "run");
        Dialogs.WaitForElement("input[data-testid=start-confirmation]", Patience);
        Assert.Equal("Run on production", TextOf(Dialogs.Find("[data-testid=start-confirm]")));
        await ClickButtonAsync(Dialogs.Find(".mud-dialog"), "Cancel");
        await clicking;
        Assert.DoesNotContain(production.Id, Portal.Queue.Enqueued);
        Assert.Equal(production.Revision, (await Portal.Runs.GetAsync(production.Id, Token)).Revision);
    }

    [Fact]
    public async Task Outside_Production_Run_asks_nothing()
    {
        var dev = await ApprovedAsync();
        var devPage = RenderRun(dev.Id);

        await ClickAsync(devPage, "run");

        WaitForSnackbar("Queued");
        Assert.Empty(Dialogs.FindAll("[data-testid=start-dialog]"));
        Assert.Equal(dev.Id, Portal.Queue.Enqueued[^1]);
    }

    [Fact]
    public async Task An_approved_run_is_scheduled_in_UTC_and_the_page_shows_when_and_by_whom_then_it_is_cancelled()
    {
        var run = await ApprovedAsync();
        var page = RenderRun(run.Id);
        Assert.Contains("Schedule…", Actions(page));
        Assert.Empty(page.FindAll("[data-testid=run-schedule]"));

        var clicking = ClickAsync(page, "schedule");
        var at = Dialogs.WaitForElement("input[data-testid=schedule-at]", Patience);
        Assert.Equal("datetime-local", at.GetAttribute("type"));
        Assert.Empty(Dialogs.FindAll("input[data-testid=schedule-confirmation]"));
        var when = InTwoHours;
        await at.InputAsync(new() { Value = when });
        Assert.Contains($"Starts at {when.Replace('T', ' ')} UTC", TextOf(Dialogs.Find("[data-testid=schedule-when]")));
        await Dialogs.Find("[data-testid=schedule-confirm]").ClickAsync(new());
        await clicking;

        WaitForSnackbar($"Scheduled for {when.Replace('T', ' ')} UTC");
        page.WaitForAssertion(() => Assert.Equal($"Scheduled for {when.Replace('T', ' ')} UTC by olga", TextOf(page.Find("[data-testid=run-schedule]"))), Patience);
        Assert.Equal(["Reschedule…", "Cancel schedule"], Actions(page).Where(a => a.Contains("chedul", StringComparison.Ordinal) || a == "Run"));
        Assert.Single(Portal.Queue.StillScheduled);

        await ClickAsync(page, "cancel-schedule");

        WaitForSnackbar("Schedule cancelled");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=run-schedule]")), Patience);
        Assert.Contains("Run", Actions(page));
        Assert.Empty(Portal.Queue.StillScheduled);
    }

    [Fact]
    public async Task The_schedule_dialog_refuses_a_time_that_has_passed_and_on_Production_wants_the_name()
    {
        var run = await ApprovedAsync("production");
        var page = RenderRun(run.Id);

        var clicking = ClickAsync(page, "schedule");
        var at = Dialogs.WaitForElement("input[data-testid=schedule-at]", Patience);
        var confirm = () => Dialogs.Find("[data-testid=schedule-confirm]");
        await at.InputAsync(new() { Value = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) });
        Assert.Contains("has passed", TextOf(Dialogs.Find("[data-testid=schedule-when]")));
        Assert.True(confirm().HasAttribute("disabled"));
        await Dialogs.Find("input[data-testid=schedule-at]").InputAsync(new() { Value = InTwoHours });
        Assert.True(confirm().HasAttribute("disabled"));
        await Dialogs.Find("input[data-testid=schedule-confirmation]").InputAsync(new() { Value = "production" });
        Assert.False(confirm().HasAttribute("disabled"));
        await confirm().ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.StartsWith("Scheduled for", TextOf(page.Find("[data-testid=run-schedule]"))), Patience);
        Assert.Equal(ItemStatus.Passed, (await Portal.Runs.GetAsync(run.Id, Token)).Item(ChecklistTemplate.MaintenanceWindow)!.Status);
    }

    [Fact]
    public async Task A_schedule_whose_approval_was_voided_says_it_will_not_start_and_offers_only_to_cancel_it()
    {
        var scheduled = await ScheduledAsync();
        Assert.True((await new EngineHarness(Portal.Registry).MigrateAsync(Portal.Targets.Get("dev"), "1.0.0", cancellationToken: Token)).Succeeded);
        var voided = await Portal.Runs.RunPreChecksAsync(Olga, scheduled.Id, scheduled.Revision, Token);

        var page = RenderRun(voided.Id);

        Assert.EndsWith("by olga: it will not start unless it is approved again", TextOf(page.Find("[data-testid=run-schedule]")));
        Assert.Single(page.FindAll("[data-testid=cancel-schedule]"));
        Assert.Empty(page.FindAll("[data-testid=reschedule]"));
    }

    [Fact]
    public async Task Rescheduling_moves_the_start_and_keeps_one_job()
    {
        var scheduled = await ScheduledAsync();
        var page = RenderRun(scheduled.Id);

        var clicking = ClickAsync(page, "reschedule");
        var later = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        await Dialogs.WaitForElement("input[data-testid=schedule-at]", Patience).InputAsync(new() { Value = later });
        Assert.Equal("Reschedule", TextOf(Dialogs.Find("[data-testid=schedule-confirm]")));
        await Dialogs.Find("[data-testid=schedule-confirm]").ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.StartsWith($"Scheduled for {later.Replace('T', ' ')} UTC", TextOf(page.Find("[data-testid=run-schedule]"))), Patience);
        Assert.Equal(later.Replace('T', ' '), Assert.Single(Portal.Queue.StillScheduled).At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
    }

    // ---- stale pages: each new action on a page opened while the person still had the role ----

    [Fact]
    public async Task Scheduling_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var run = await ApprovedAsync();
        var page = RenderRun(run.Id);
        await LowerAsync(Olga, Role.Viewer);

        var clicking = ClickAsync(page, "schedule");
        await Dialogs.WaitForElement("input[data-testid=schedule-at]", Patience).InputAsync(new() { Value = InTwoHours });
        await Dialogs.Find("[data-testid=schedule-confirm]").ClickAsync(new());
        await clicking;

        WaitForSnackbar("olga (Viewer) may not schedule runs");
        await AssertUnchangedAsync(run);
        Assert.Empty(Portal.Queue.Scheduled);
        AssertRefusalAudited("olga", $"tried to schedule run {run.Id}");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=schedule]")), Patience);
    }

    [Fact]
    public async Task Cancelling_a_schedule_on_a_page_opened_while_an_Operator_is_refused_once_she_is_disabled()
    {
        var run = await ScheduledAsync();
        var page = RenderRun(run.Id);
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync("olga", Token))! with { Disabled = true }, Token);

        await ClickAsync(page, "cancel-schedule");

        WaitForSnackbar("is disabled");
        await AssertUnchangedAsync(run);
        Assert.Single(Portal.Queue.StillScheduled);
        AssertRefusalAudited("olga", $"tried to cancel the schedule of run {run.Id}");
    }

    [Fact]
    public async Task Rescheduling_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var run = await ScheduledAsync();
        var page = RenderRun(run.Id);
        await LowerAsync(Olga, Role.Viewer);

        var clicking = ClickAsync(page, "reschedule");
        await Dialogs.WaitForElement("input[data-testid=schedule-at]", Patience).InputAsync(new() { Value = InTwoHours });
        await Dialogs.Find("[data-testid=schedule-confirm]").ClickAsync(new());
        await clicking;

        WaitForSnackbar("olga (Viewer) may not schedule runs");
        await AssertUnchangedAsync(run);
        Assert.Equal(run.Schedule!.JobId, Assert.Single(Portal.Queue.StillScheduled).JobId);
        AssertRefusalAudited("olga", $"tried to reschedule run {run.Id}");
    }

    [Fact]
    public async Task Running_on_Production_with_the_name_typed_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var run = await ApprovedAsync("production");
        var page = RenderRun(run.Id);
        await LowerAsync(Olga, Role.Viewer);

        var clicking = ClickAsync(page, "run");
        await Dialogs.WaitForElement("input[data-testid=start-confirmation]", Patience).InputAsync(new() { Value = "production" });
        await Dialogs.Find("[data-testid=start-confirm]").ClickAsync(new());
        await clicking;

        WaitForSnackbar("olga (Viewer) may not start runs");
        await AssertUnchangedAsync(run);
        Assert.DoesNotContain(run.Id, Portal.Queue.Enqueued);
        AssertRefusalAudited("olga", $"tried to start run {run.Id}");
    }

    private async Task LowerAsync(TestPerson person, Role role) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(person.Name, Token))! with { Role = role }, Token);

    private async Task AssertUnchangedAsync(MigrationRun run)
    {
        var stored = await Portal.Runs.GetAsync(run.Id, Token);
        Assert.Equal((run.Revision, run.State, run.Schedule), (stored.Revision, stored.State, stored.Schedule));
    }

    private void AssertRefusalAudited(string user, string attempted)
    {
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith(attempted, StringComparison.Ordinal));
        Assert.Equal(user, refused.User);
    }
}
