using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using BotCore.MigrationPortal.Tests.Unit.Runs;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>
/// Pause and Resume beside a running data step's progress on the run page (a sandbox run with simulated users): shown to an Operator, not to a
/// Viewer; the banner says where the step stopped; and a click on a page opened while she was an Operator is refused once she is a Viewer.
/// </summary>
public sealed class DataStepPausePageTests() : PortalPageContext(DataStepPauseServiceTests.SimulatedUsers)
{
    private PortalHarness? portal;

    private PortalHarness Portal => portal ??= new PortalHarness(Services);

    private async Task LowerAsync(TestPerson person, Role role) =>
        await PortalUsers.ReplaceAsync((await PortalUsers.FindAsync(person.Name, Token))! with { Role = role }, Token);

    [Fact]
    public async Task An_Operator_pauses_the_running_data_step_sees_where_it_stopped_and_resumes_it_to_the_end()
    {
        var (job, running) = await DataStepRunningAsync();
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, running.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=pause-data-step]")), Patience);
        Assert.Contains("· simulated", page.Find("[data-testid=current-step]").TextContent);

        // Found and clicked in one renderer turn: the live progress re-renders the page between batches.
        await page.InvokeAsync(() => page.Find("[data-testid=pause-data-step]").ClickAsync(new()));

        WaitForSnackbar("Pause asked");
        page.WaitForAssertion(() => Assert.Contains("Paused at ", page.Find("[data-testid=paused-banner]").TextContent), Patience);
        Assert.Contains("documents (simulated) by olga at ", page.Find("[data-testid=paused-banner]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=pause-data-step]"));
        var summary = page.Find("[data-testid=run-summary]").TextContent;
        Assert.Contains("its data step paused by olga", summary);
        Assert.Contains("An Operator: resume its data step (under Progress), or cancel the run.", summary);
        // Found and clicked in one renderer turn: the live progress re-renders the page between batches.
        await page.InvokeAsync(() => page.Find("[data-testid=resume-data-step]").ClickAsync(new()));
        WaitForSnackbar("Resumed");
        await job;
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=paused-banner]")), Patience);
        Assert.Equal(RunState.Succeeded, (await Portal.Runs.GetAsync(running.Id, Token)).State);
    }

    [Fact]
    public async Task A_Viewer_sees_the_progress_but_no_pause()
    {
        var (job, running) = await DataStepRunningAsync();
        SignIn(Victor);

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, running.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=batch-progress]")), Patience);
        Assert.Empty(page.FindAll("[data-testid=pause-data-step]"));
        await job;
    }

    [Fact]
    public async Task Pausing_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer()
    {
        var (job, running) = await DataStepRunningAsync();
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, running.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=pause-data-step]")), Patience);
        await LowerAsync(Olga, Role.Viewer);

        // Found and clicked in one renderer turn: the live progress re-renders the page between batches.
        await page.InvokeAsync(() => page.Find("[data-testid=pause-data-step]").ClickAsync(new()));

        WaitForSnackbar("olga (Viewer) may not pause runs: it needs the Operator role.");
        Assert.Null((await Portal.Runs.GetAsync(running.Id, Token)).Pause);
        AssertRefusalAudited("olga", $"tried to pause run {running.Id}");
        await job;
    }

    [Fact]
    public async Task Resuming_on_a_page_opened_while_an_Operator_is_refused_once_she_is_a_Viewer_and_a_cancel_still_ends_the_paused_run()
    {
        var (job, running) = await DataStepRunningAsync();
        await Portal.Runs.PauseAsync(Olga, running.Id, running.Revision, Token);
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, running.Id));
        page.WaitForAssertion(() => Assert.Contains("Paused at ", page.Find("[data-testid=paused-banner]").TextContent), Patience);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=resume-data-step]")), Patience);
        var paused = await Portal.Runs.GetAsync(running.Id, Token);
        await LowerAsync(Olga, Role.Viewer);

        // Found and clicked in one renderer turn: the live progress re-renders the page between batches.
        await page.InvokeAsync(() => page.Find("[data-testid=resume-data-step]").ClickAsync(new()));

        WaitForSnackbar("olga (Viewer) may not resume runs: it needs the Operator role.");
        var stored = await Portal.Runs.GetAsync(running.Id, Token);
        Assert.Equal((paused.Revision, "olga"), (stored.Revision, stored.Pause?.By));
        AssertRefusalAudited("olga", $"tried to resume run {running.Id}");
        await Portal.Runs.CancelAsync(Alice, stored.Id, stored.Revision, Token);
        await job.WaitAsync(TimeSpan.FromSeconds(20), Token);
        Assert.Equal(RunState.Cancelled, (await Portal.Runs.GetAsync(running.Id, Token)).State);
    }

    private void AssertRefusalAudited(string user, string attempted)
    {
        var refused = Assert.Single(Portal.Audit.Records, r => r.Action == AuditActions.ActionRefused && r.Details.StartsWith(attempted, StringComparison.Ordinal));
        Assert.Equal(user, refused.User);
    }

    /// <summary>Starts a run of dev to 1.1.0 and waits until its data step reports batches.</summary>
    private async Task<(Task Job, MigrationRun Running)> DataStepRunningAsync()
    {
        var queued = await Portal.QueuedAsync("dev", "1.1.0");
        var job = Portal.Job.ExecuteAsync(queued.Id, jobId: null);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await Portal.Events.ReadAsync(queued.Id, 0, Token)).Any(e => e.Event.Batch is { Total: > 0 }))
        {
            Assert.True(DateTime.UtcNow < deadline, "the data step reported no batch");
            await Task.Delay(10, Token);
        }
        return (job, await Portal.Runs.GetAsync(queued.Id, Token));
    }
}
