using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Guidance;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>The summary the run page leads with, and the sections it opens, for runs brought to each state by the run service.</summary>
public sealed partial class RunDetailPageTests
{
    private static string Headline(IRenderedComponent<RunDetail> page) => TextOf(page.Find("[data-testid=run-headline]"));

    private static string NextActor(IRenderedComponent<RunDetail> page) => TextOf(page.Find("[data-testid=next-actor]"));

    private static IReadOnlyList<string> ToDo(IRenderedComponent<RunDetail> page) => page.FindAll("[data-testid=todo-item]").Select(TextOf).ToList();

    private static IReadOnlyList<string> OpenSections(IRenderedComponent<RunDetail> page) =>
        page.FindAll("button[data-testid^=toggle-][aria-expanded=true]").Select(b => b.GetAttribute("data-testid")![7..]).ToList();

    [Fact]
    public async Task A_new_run_says_what_is_left_before_approval_each_item_linking_to_its_row_with_the_checklist_open()
    {
        var run = await PreChecksAsync();

        var page = RenderRun(run.Id);

        Assert.Equal("Getting ready: 3 required items left before approval can be requested.", Headline(page));
        Assert.Equal("Next: An Operator (it was created by olga): settle what is left, then request approval.", NextActor(page));
        Assert.Equal(["Tick “Reviewed migration for performance impact”", "Back up (“Created full database backup”)",
            "Tick “Notified team of upcoming migration”", "Request approval"], ToDo(page));
        Assert.Equal($"runs/{run.Id}#item-pre-backup", page.FindAll("[data-testid=todo-item]")[1].GetAttribute("href"));
        Assert.Single(page.FindAll("#item-pre-backup"));
        Assert.Equal(["checklist"], OpenSections(page));
        // What only the run settles is folded away until asked for.
        Assert.Empty(page.FindAll("#item-exec-executed"));
        await page.Find("[data-testid=later-MigrationExecution]").ClickAsync(new());
        Assert.Single(page.FindAll("#item-exec-executed"));
    }

    [Fact]
    public async Task A_to_do_item_opens_its_section_when_the_person_had_folded_it()
    {
        var run = await PreChecksAsync();
        var page = RenderRun(run.Id);
        await page.Find("[data-testid=toggle-checklist]").ClickAsync(new());
        Assert.Empty(OpenSections(page));

        await page.FindAll("[data-testid=todo-item]")[1].ClickAsync(new());

        Assert.Equal(["checklist"], OpenSections(page));
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "reveal" && (string?)i.Arguments[0] == "item-pre-backup");
    }

    [Fact]
    public async Task A_run_ready_for_approval_leaves_one_thing_to_do_and_its_pre_checks_are_a_table_with_folded_evidence()
    {
        var run = await Portal.ReadyForApprovalAsync(Target, To);

        var page = RenderRun(run.Id);

        Assert.Equal("Ready for approval: every required item is settled.", Headline(page));
        Assert.Equal("Next: An Operator: request approval.", NextActor(page));
        Assert.Equal(["Request approval"], ToDo(page));
        var checks = RowsOf(page.Find("[data-testid=pre-checks]"));
        Assert.Equal(run.PreMigrationChecks.Count, checks.Count);
        Assert.NotEmpty(run.PreMigrationChecks);
        Assert.All(checks, row => Assert.Contains(row[1], new[] { "passed", "simulated", "warning", "blocking" }));
        Assert.Equal(run.PreMigrationChecks.Count(c => c.Evidence.Count > 0), page.FindAll("[data-testid=pre-checks] details").Count);
        Assert.EndsWith("each is listed under Pre-checks.", run.Item(ChecklistTemplate.PreValidation)!.Evidence);
    }

    [Fact]
    public async Task A_run_awaiting_approval_names_who_may_approve_and_opens_the_change_and_the_checklist()
    {
        var run = await AwaitingApprovalAsync(Olga);
        SignIn(Bob);

        var page = RenderRun(run.Id);

        Assert.StartsWith("Waiting for approval, asked by olga at ", Headline(page));
        Assert.Equal("Next: An Approver or Admin other than olga: approve it, or send it back with a reason.", NextActor(page));
        Assert.Equal(["change", "checklist"], OpenSections(page));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=change-diff]")), Patience);
    }

    [Fact]
    public async Task A_succeeded_run_ends_its_progress_with_a_summary_and_lists_the_items_left_after_it()
    {
        var run = await SucceededAsync();

        var page = RenderRun(run.Id);

        Assert.Equal($"Succeeded: dev is at {To}.", Headline(page));
        Assert.Equal(To, run.LeftAt?.ToString());
        Assert.Equal(["Tick “Tested critical application functions”", "Tick “Monitored application logs for errors”",
            "Tick “Notified team of successful migration”"], ToDo(page));
        Assert.Equal(["checklist", "progress", "validation"], OpenSections(page));
        page.WaitForAssertion(() => Assert.StartsWith("Succeeded after ", TextOf(page.Find("[data-testid=run-ending]"))), Patience);
        Assert.Contains($"dev is at {To}", TextOf(page.Find("[data-testid=run-ending]")));
        var steps = page.FindAll("[data-testid=steps] tbody tr.mud-table-row").Count;
        Assert.Equal(steps.ToString(), TextOf(page.Find("[data-testid=step-number]")));
        // The items settled before approval are folded: what is left comes first.
        Assert.Empty(page.FindAll("#item-pre-backup"));
    }

    [Fact]
    public async Task A_failed_run_says_where_the_target_is_who_stopped_it_and_that_an_emergency_rollback_comes_next()
    {
        var run = await FailedAsync();

        var page = RenderRun(run.Id);

        Assert.Equal("Failed: dev is at an unknown version (check it with drift), with this run's changes in place.", Headline(page));
        Assert.StartsWith("Next: An Operator: an emergency rollback", NextActor(page));
        Assert.Equal(["Roll back what it applied (emergency rollback), or repair by hand"], ToDo(page));
        Assert.Contains("Emergency rollback", Actions(page));
        Assert.Contains("progress", OpenSections(page));
        Assert.Contains("Post-migration validation failed.", TextOf(page.Find("[data-testid=run-ending]")));
    }

    [Fact]
    public async Task The_step_running_now_is_pinned_in_the_summary_with_step_n_of_N_and_the_progress_shows_the_overall_bar()
    {
        var run = await PreChecksAsync();
        var page = RenderRun(run.Id);
        Assert.Empty(page.FindAll("[data-testid=summary-now]"));
        static RunEvent Step(RunEventKind kind, int number) =>
            new(DateTimeOffset.UtcNow, kind, "") { Version = "1.0.0", Direction = "up", StepIndex = number, DurationMs = kind == RunEventKind.StepFinished ? 400 : null };

        foreach (var e in new[] { Step(RunEventKind.StepStarted, 1), Step(RunEventKind.StepFinished, 1), Step(RunEventKind.StepStarted, 2) })
        {
            await Portal.Events.AppendAsync(run.Id, e, Token);
        }

        var steps = new Engine.Planning.MigrationPlanner(Portal.Registry).Plan(run.From, run.To).Migrations.Sum(m => m.Steps.Count);
        page.WaitForAssertion(() => Assert.StartsWith($"Now: step 2 of {steps}: 1.0.0 up step 2, ", TextOf(page.Find("[data-testid=summary-now]"))), Patience);
        Assert.StartsWith($"Step 2 of {steps} ·", TextOf(page.Find("[data-testid=run-pace] p")));
        Assert.Contains("left", TextOf(page.Find("[data-testid=summary-now]")));
        Assert.Single(page.FindAll("[data-testid=current-step]"));
    }
}
