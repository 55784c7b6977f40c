using BotCore.MigrationPortal.Tests.EndToEnd;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>
/// Browser tests that start a portal of their own: they run alone, so that two portals and two browsers do not compete
/// for the machine with the end-to-end workflow.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SecondPortalCollection
{
    public const string Name = "second portal";
}

/// <summary>The pages in real Chromium under the portal's Content-Security-Policy: nothing refused, and the pages work.</summary>
[Collection(SecondPortalCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(SandboxPortal portal, Browser browser) : IClassFixture<SandboxPortal>, IClassFixture<Browser>
{
    private static async Task<List<string>> RefusalsWhileAsync(IPage page, Func<Task> visit)
    {
        var refusals = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (refusals) refusals.Add(message.Text);
        };
        await visit();
        // A refusal is reported asynchronously; a quiet network means the page's scripts have run.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (refusals) return refusals.ToList();
    }

    [Fact]
    public async Task The_portal_pages_and_the_job_dashboard_run_without_a_refused_script_or_style()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");
        await using var ada = await DbaSession.SignInAsync(browser, portal, "ada");

        var refusals = await RefusalsWhileAsync(ada.Page, async () =>
        {
            await ada.GotoAsync("/", "[data-testid=target-dev]");
            await ada.GotoAsync("users", "[data-testid=users-table]");
            await ada.GotoAsync("audit", "[data-testid=audit-grid]");
            await ada.Page.GotoAsync($"{portal.BaseUrl}/hangfire");
            await ada.Page.GetByText("BotCore migration jobs").First.WaitForAsync();
            await ada.Page.GotoAsync($"{portal.BaseUrl}/hangfire/jobs/succeeded");
            await ada.Page.GetByText("BotCore migration jobs").First.WaitForAsync();
        });

        Assert.Empty(refusals);
    }
}
