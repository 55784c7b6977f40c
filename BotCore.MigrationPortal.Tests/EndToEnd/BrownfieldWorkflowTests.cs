using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// Bot Core's real first job, in a real browser against the sandbox: the simulated database the spec's scripts built to 1.2.0
/// (legacy, Production) is adopted, taken to the draft 1.3.0 through the whole checklist and a second person's approval, and
/// rolled back, its application collections kept. The pages go to docs/screenshots/ as the README shows them.
/// </summary>
public sealed class BrownfieldWorkflowTests(SandboxPortal portal, Browser browser) : IClassFixture<SandboxPortal>, IClassFixture<Browser>
{
    [Fact]
    public async Task Legacy_is_adopted_taken_to_1_3_0_with_its_release_note_and_approval_and_rolled_back()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        // The dashboard says legacy is not adopted; the Admin compares it with every version on the adoption page.
        await using var ada = await DbaSession.SignInAsync(browser, portal, "ada");
        await ada.GotoAsync("/", "[data-testid=target-legacy] [data-testid=not-adopted]");
        Assert.Contains("2 DATABASE_SCHEMA_VERSION documents", await ada.Page.Locator("[data-testid=target-legacy] [data-testid=not-adopted]").InnerTextAsync());
        await ada.Page.Locator("[data-testid=target-legacy] [data-testid=adopt-link]").ClickAsync();
        await ada.Page.Locator("[data-testid=proposal]").WaitForAsync();
        Assert.Contains("Proposed: 1.2.0", await ada.Page.Locator("[data-testid=proposal]").InnerTextAsync());
        Assert.Equal("matches", (await ada.Page.Locator("[data-testid=\"fit-1.2.0\"]").InnerTextAsync()).Trim());
        await ada.Page.Locator("textarea[data-testid=adopt-reason]").FillAsync("Built by the spec's scripts 1.0.0-1.2.0; its application data stays as it is");
        await ada.ScreenshotAsync("18-adopt-legacy");

        // Adoption is a run: on Production another person approves it.
        await ada.ClickToNavigateAsync(ada.Page.Locator("[data-testid=adopt]"), "**/runs/run-*");
        var adoptionUrl = new Uri(ada.Page.Url).AbsolutePath;
        await ada.WaitForStateAsync("Pre-checks");
        await ada.ClickAsync("Request approval");
        await ada.WaitForStateAsync("Awaiting approval");
        Assert.False(await ada.HasButtonAsync("Approve"));
        await using var alice = await DbaSession.SignInAsync(browser, portal, "alice");
        await alice.GotoAsync(adoptionUrl, "[data-testid=run-state]");
        await alice.ApproveAndRunAsync(productionTarget: "legacy");
        await ada.WaitForStateAsync("Succeeded");
        Assert.Contains("1.2.0", await ada.Page.Locator("[data-testid=versions]").InnerTextAsync());
        await ada.ScreenshotAsync("19-adoption-run");

        // Olga prepares 1.3.0, a draft: Production needs a staging run or an override, and an Admin's release note.
        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga");
        await olga.GotoAsync("runs/new?target=legacy", "[data-testid=create-run]");
        Assert.Equal("1.2.0", await olga.Page.Locator("[data-testid=current-version]").InnerTextAsync());
        Assert.Equal("DRAFT", (await olga.Page.Locator("[data-testid=draft]").First.InnerTextAsync()).Trim());
        await olga.Page.Locator("[data-testid=create-run]").ClickAsync();
        await olga.Page.WaitForURLAsync(url => url.Contains("/runs/run-") && !url.EndsWith(adoptionUrl, StringComparison.Ordinal));
        var runUrl = new Uri(olga.Page.Url).AbsolutePath;
        await olga.WaitForStateAsync("Pre-checks");
        Assert.Contains("1.2.0 → 1.3.0", await olga.Page.Locator("[data-testid=versions]").InnerTextAsync());
        await olga.TickAsync("pre.performance", "Three collections, batches of 1,000 with pauses");
        await olga.TickAsync("pre.notify", "Announced in #botcore-ops for tonight's window");
        await olga.BackUpAsync();
        await ada.GotoAsync(runUrl, "[data-testid=run-state]");
        await ada.AnswerAsync("Override staging requirement", "Staging is rebuilt next week; legacy was rehearsed with the CLI (rehearse --baseline 1.2.0)");
        await ada.AnswerAsync("Release drafts", "Risk metrics signed off by the risk team for Production (RISK-42)");
        Assert.Contains("RISK-42", await ada.Page.Locator("[data-testid=draft-release]").InnerTextAsync());
        await olga.GotoAsync(runUrl, "[data-testid=run-state]");
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");
        await olga.ScreenshotAsync("20-legacy-release-note");

        // Bob, who prepared nothing, approves and runs it.
        await using var bob = await DbaSession.SignInAsync(browser, portal, "bob");
        await bob.GotoAsync(runUrl, "[data-testid=run-state]");
        await bob.ApproveAndRunAsync(productionTarget: "legacy");
        await olga.WaitForStateAsync("Succeeded");
        await olga.ScreenshotAsync("21-legacy-1.3.0");

        // And back to 1.2.0: the rollback removes 1.3.0's fields and leaves the application's collections.
        await olga.RollBackAsync();
        await olga.Page.WaitForURLAsync(url => url.Contains("/runs/run-") && !url.EndsWith(runUrl, StringComparison.Ordinal));
        await olga.WaitForStateAsync("Pre-checks");
        Assert.Contains("1.3.0 → 1.2.0", await olga.Page.Locator("[data-testid=versions]").InnerTextAsync());
        await olga.TickAsync("rollback.stopped", "Trading bots paused");
        await olga.TickAsync("rollback.reason", "The reporting team needs another week");
        await olga.BackUpAsync();
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");
        await bob.GotoAsync(new Uri(olga.Page.Url).AbsolutePath, "[data-testid=run-state]");
        await bob.ApproveAndRunAsync(productionTarget: "legacy");
        await olga.WaitForStateAsync("Succeeded");
        await olga.GotoAsync("/", "[data-testid=target-legacy] [data-testid=applied-version]");
        Assert.Equal("1.2.0", await olga.Page.Locator("[data-testid=target-legacy] [data-testid=applied-version]").InnerTextAsync());
        await olga.GotoAsync("targets/legacy", "[data-testid=migrations]");
        Assert.Contains("baselined", await olga.Page.Locator("[data-testid=migrations]").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await olga.ScreenshotAsync("22-legacy-rolled-back");

        var audit = await (await olga.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv")).TextAsync();
        foreach (var action in new[] { "adoption-created", "target-adopted", "staging-override", "drafts-released", "approved", "rollback-created" })
        {
            Assert.Contains($",{action},", audit);
        }
    }
}
