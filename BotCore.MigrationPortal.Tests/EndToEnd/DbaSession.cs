using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>One person signed in to the portal in their own browser context, with the gestures the tests need.</summary>
internal sealed class DbaSession(IPage page, string baseUrl, ClickCounter? clicks = null) : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public IPage Page => page;

    /// <summary>The clicks this person made in the browser since signing in (or since the counter was reset).</summary>
    public ClickCounter Clicks => clicks ?? throw new InvalidOperationException("This session does not count clicks.");

    /// <summary>The window of a 390 px wide phone (an iPhone 12-14 in portrait).</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <param name="from">The client address the browser claims through the proxy (<see cref="ProxiedSandboxPortal"/>), if any.</param>
    /// <param name="window">The browser window; a desktop's 1440 × 1000 unless given.</param>
    public static async Task<DbaSession> SignInAsync(Browser browser, SandboxPortal portal, string user, string? from = null, ViewportSize? window = null)
    {
        var context = await NewContextAsync(browser, from, window);
        var clicks = await ClickCounter.AttachAsync(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{portal.BaseUrl}/signin");
        await page.FillAsync("input[name=username]", user);
        await page.FillAsync("input[name=password]", SandboxPortal.Password);
        await page.ClickAsync("button[type=submit]");
        // Attached, not visible: on a phone the name sits in the folded account menu.
        await page.WaitForSelectorAsync("[data-testid=signed-in-user]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        clicks.Reset();
        return new DbaSession(page, portal.BaseUrl, clicks);
    }

    /// <summary>A browser context of its own (its own cookies), claiming <paramref name="from"/> as its address when given.</summary>
    public static async Task<IBrowserContext> NewContextAsync(Browser browser, string? from = null, ViewportSize? window = null)
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = window ?? new ViewportSize { Width = 1440, Height = 1000 },
            ExtraHTTPHeaders = from is null ? null : new Dictionary<string, string> { ["X-Forwarded-For"] = from },
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        return context;
    }

    public async Task GotoAsync(string path, string readySelector)
    {
        await page.GotoAsync($"{baseUrl}/{path.TrimStart('/')}");
        await page.WaitForSelectorAsync(readySelector);
    }

    public ILocator Button(string text) => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = text, Exact = true });

    public async Task ClickAsync(string buttonText) => await Button(buttonText).ClickAsync();

    public async Task<bool> HasButtonAsync(string text) => await Button(text).CountAsync() > 0;

    /// <param name="within">How long to wait; a minute unless given (a scheduled run waits for its time).</param>
    public async Task WaitForStateAsync(string state, TimeSpan? within = null) =>
        await page.Locator("[data-testid=run-state]").First.Filter(new LocatorFilterOptions { HasTextRegex = new Regex($@"^\s*{state}\s*$") })
            .WaitForAsync(new LocatorWaitForOptions { Timeout = (float)(within ?? TimeSpan.FromMinutes(1)).TotalMilliseconds });

    public async Task<string> StateAsync() => (await page.Locator("[data-testid=run-state]").First.InnerTextAsync()).Trim();

    /// <summary>Ticks a manual checklist item through its dialog, with a comment.</summary>
    public async Task TickAsync(string itemId, string comment)
    {
        await OpenDialogAsync(page.Locator($"[data-testid='tick-{itemId}']"));
        await page.Locator(".mud-dialog textarea").First.FillAsync(comment);
        await page.Locator("[data-testid=reason-confirm]").ClickAsync();
        await page.Locator($"[data-testid='tick-{itemId}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    /// <summary>
    /// Clicks a button that opens a dialog. A click that lands while the page re-renders after the previous action (a live
    /// update, the Change section loading) can be lost on a loaded machine: it is clicked again, at most twice more.
    /// </summary>
    private async Task OpenDialogAsync(ILocator button)
    {
        for (var attempt = 1; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await page.Locator(".mud-dialog").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Clicks a button that takes the page to another address (a run just created). A click that lands while the page re-renders can
    /// be lost on a loaded machine: it is clicked again, at most twice more, if the page has not moved on within 10 s.
    /// </summary>
    public async Task ClickToNavigateAsync(ILocator button, string urlGlob)
    {
        for (var attempt = 1; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await page.WaitForURLAsync(urlGlob, new PageWaitForURLOptions { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>"Roll back…" on a run or a target, to <paramref name="to"/> chosen in its dialog (its default when null), then "Create rollback run".</summary>
    /// <param name="screenshot">The name to save the dialog under, before it is confirmed, if any.</param>
    public async Task RollBackAsync(string? to = null, string? screenshot = null)
    {
        await OpenDialogAsync(page.Locator("[data-testid=roll-back]"));
        if (to is not null)
        {
            await page.Locator("[data-testid=rollback-to]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextRegex = new Regex($@"^\s*{Regex.Escape(to)}\b") }).ClickAsync();
            await page.Locator("[data-testid=rollback-confirm]", new PageLocatorOptions { HasText = $"to {to}" }).WaitForAsync();
        }
        if (screenshot is not null) await ScreenshotAsync(screenshot, fullPage: false);
        await page.Locator("[data-testid=rollback-confirm]").ClickAsync();
    }

    /// <summary>"Approve and run"; on Production the dialog that follows asks for the target's name, typed.</summary>
    public async Task ApproveAndRunAsync(string? productionTarget = null)
    {
        if (productionTarget is null)
        {
            await ClickAsync("Approve and run");
            return;
        }
        await OpenDialogAsync(Button("Approve and run"));
        await page.Locator("input[data-testid=start-confirmation]").FillAsync(productionTarget);
        await page.Locator("[data-testid=start-confirm]").ClickAsync();
        await page.Locator("[data-testid=start-dialog]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    /// <summary>Clicks a button that asks for a written reason (an override, a release note), writes it and confirms.</summary>
    public async Task AnswerAsync(string buttonText, string text)
    {
        await OpenDialogAsync(Button(buttonText));
        await page.Locator(".mud-dialog textarea").First.FillAsync(text);
        await page.Locator("[data-testid=reason-confirm]").ClickAsync();
        // The dialog's confirm button may bear the same words: wait for the dialog to close first.
        await page.Locator(".mud-dialog").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await Button(buttonText).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    /// <summary>"Back up now" on a run page, then waits until the backup is verified and its checklist items pass.</summary>
    public async Task BackUpAsync()
    {
        await page.Locator("[data-testid=back-up-now]").ClickAsync();
        await page.Locator("tr", new PageLocatorOptions { HasText = "Verified backup is valid and recent" })
            .Locator(".mud-chip", new LocatorLocatorOptions { HasText = "passed" })
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
    }

    /// <summary>Saves a screenshot of the page state, after checking it with axe-core.</summary>
    /// <param name="fullPage">The whole page, or only what the window shows (a message that pops up over the page).</param>
    /// <param name="portalPage">False for a page the portal does not render (Hangfire's dashboard): its markup is Hangfire's.</param>
    public async Task ScreenshotAsync(string name, bool fullPage = true, bool portalPage = true)
    {
        if (portalPage) await AssertAccessibleAsync(name);
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        // A page scrolled by a click would show the fixed app bar in the middle of a full-page capture.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, $"{name}.png"), FullPage = fullPage });
    }

    // Waits (at most 3 s) until no finite animation runs: a message can start fading out while another ends.
    private const string SettleAnimations = """
        async () => {
            const running = () => document.getAnimations()
                .filter(a => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity);
            for (const deadline = Date.now() + 3000; running().length > 0 && Date.now() < deadline; ) {
                await new Promise(resolve => setTimeout(resolve, 100));
            }
        }
        """;

    /// <summary>Fails when the page is wider than the window: a phone user would have to scroll sideways.</summary>
    public async Task AssertFitsWindowAsync(string pageState)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var window = await page.EvaluateAsync<int>("() => window.innerWidth");
        Assert.True(width <= window, $"{pageState}: the page is {width} px wide in a {window} px window.");
    }

    /// <summary>Fails on any serious or critical axe-core violation of the page as it is now (WCAG 2.1 AA and axe's best practices).</summary>
    public async Task AssertAccessibleAsync(string pageState)
    {
        // A message still fading in or out is half transparent, and axe would measure its contrast mid-fade. Another message can start
        // fading between the settling and axe's run: a contrast finding on messages alone is measured again, at most twice.
        List<Deque.AxeCore.Commons.AxeResultItem> blocking = [];
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await page.EvaluateAsync(SettleAnimations);
            var result = await page.RunAxe();
            blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            var onlyFadingMessages = blocking.Count > 0 && blocking.All(v => v.Id == "color-contrast" && v.Nodes.All(n => n.Target?.ToString()?.Contains(".mud-snackbar") == true));
            if (!onlyFadingMessages) break;
        }
        Assert.True(blocking.Count == 0, $"{pageState}: axe-core found {blocking.Count} serious or critical violations:\n" + string.Join("\n", blocking.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help}; at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
    }

    public async ValueTask DisposeAsync() => await page.Context.CloseAsync();
}
