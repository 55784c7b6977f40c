using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>The sandbox portal walking dev's 250,000 simulated users at 10,000 a second: a data step that runs for 25 s, long enough to watch and pause.</summary>
public sealed class SlowDataStepPortal : SandboxPortal
{
    protected override IEnumerable<string> ExtraArguments => ["--Sandbox:DocumentsPerSecond=10000"];
}

/// <summary>
/// A sandbox data step watched in the browser: its simulated batches progress with rate and ETA, the Operator pauses it at a batch boundary
/// (the run stays Running and says where it stopped), resumes it, and the run ends Succeeded. Each state is checked with axe and saved.
/// </summary>
public sealed class DataStepPauseTests(SlowDataStepPortal portal, Browser browser) : IClassFixture<SlowDataStepPortal>, IClassFixture<Browser>
{
    [Fact]
    public async Task A_sandbox_data_step_progresses_with_rate_and_ETA_is_paused_resumed_and_succeeds()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga");
        await olga.GotoAsync("runs/new?target=dev", "[data-testid=create-run]");
        await olga.Page.Locator("[data-testid=create-run]").ClickAsync();
        await olga.Page.WaitForURLAsync("**/runs/run-*");
        var run = new Uri(olga.Page.Url).AbsolutePath;
        await olga.WaitForStateAsync("Pre-checks");
        await olga.TickAsync("pre.performance", "Batches of 1,000; 250,000 users take about 25 s");
        await olga.TickAsync("pre.notify", "Announced in #botcore-ops");
        await olga.BackUpAsync();
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");
        await using (var bob = await DbaSession.SignInAsync(browser, portal, "bob"))
        {
            await bob.GotoAsync(run, "[data-testid=run-summary]");
            await ApproveAndRunAsync(bob);
        }

        var pause = olga.Page.Locator("[data-testid=pause-data-step]");
        await pause.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var step = olga.Page.Locator("[data-testid=current-step]");
        await step.Filter(new LocatorFilterOptions { HasText = "left in this step" }).WaitForAsync();
        var progress = await step.InnerTextAsync();
        Assert.Matches(@"[\d,]+ / 250,000 documents · [\d,]+/s · about .+ left in this step · simulated", progress);
        Assert.Equal("Running", await olga.StateAsync());
        await olga.ScreenshotAsync("33-data-step-progress");

        var banner = olga.Page.Locator("[data-testid=paused-banner]");
        await ClickUntilAsync(pause, banner);
        await banner.Filter(new LocatorFilterOptions { HasText = "Paused at " }).WaitForAsync();
        Assert.Matches(@"Paused at [\d,]+/250,000 documents \(simulated\) by olga at ", await banner.InnerTextAsync());
        Assert.Equal("Running", await olga.StateAsync());
        Assert.Contains("its data step paused by olga", await olga.Page.Locator("[data-testid=run-summary]").InnerTextAsync());
        await olga.ScreenshotAsync("34-data-step-paused");

        await ClickUntilAsync(olga.Page.Locator("[data-testid=resume-data-step]"), banner, WaitForSelectorState.Detached);
        await olga.WaitForStateAsync("Succeeded", TimeSpan.FromMinutes(2));
        await olga.Page.Locator("[data-testid=run-history]").Filter(new LocatorFilterOptions { HasText = "Resumed" }).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await olga.ScreenshotAsync("35-data-step-resumed-and-succeeded");
    }

    /// <summary>Clicks <paramref name="button"/> until <paramref name="then"/> gets to <paramref name="state"/> (at most three clicks, 10 s apart): a lost click is clicked again.</summary>
    private static async Task ClickUntilAsync(ILocator button, ILocator then, WaitForSelectorState state = WaitForSelectorState.Visible)
    {
        for (var attempt = 1; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await then.WaitForAsync(new LocatorWaitForOptions { State = state, Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// "Approve and run", clicked again (at most twice more) when the run is still awaiting approval 10 s later: a click that lands while the
    /// page re-renders after a live update can be lost on a loaded machine.
    /// </summary>
    private static async Task ApproveAndRunAsync(DbaSession bob)
    {
        var started = bob.Page.Locator("[data-testid=run-state]").First.Filter(new LocatorFilterOptions { HasTextRegex = new Regex(@"^\s*(Queued|Running|Succeeded)\s*$") });
        for (var attempt = 1; ; attempt++)
        {
            await bob.ApproveAndRunAsync();
            try
            {
                await started.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }
}
