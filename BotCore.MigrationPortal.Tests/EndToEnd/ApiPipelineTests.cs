using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// A pipeline against the real portal: a person creates a token on My tokens; with it alone, over HTTP, a run is created, prepared and
/// sent for approval; another person approves it on the run's page; the token starts it and follows its events to the end. Its own
/// portal, so that dev is at 0.0.0 whatever the other browser tests did.
/// </summary>
public sealed class ApiPipelineTests(SandboxPortal portal, Browser browser) : IClassFixture<SandboxPortal>, IClassFixture<Browser>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_made_on_My_tokens_drives_a_run_from_creation_to_its_end_and_a_person_approves_it_in_the_browser()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga");
        await olga.GotoAsync("tokens", "[data-testid=create-token]");
        await olga.Page.Locator("input[data-testid=token-name]").FillAsync("deploy pipeline");
        await olga.Page.Locator("[data-testid=create-token]").ClickAsync();
        var secret = (await olga.Page.Locator("[data-testid=new-token-secret]").InnerTextAsync()).Trim();
        Assert.StartsWith("bcp_", secret);
        await olga.ScreenshotAsync("28-my-tokens");
        // Clicked again (at most twice more) when the secret is still shown 10 s later: a click that lands while the page re-renders can be lost.
        for (var attempt = 1; ; attempt++)
        {
            await olga.Page.Locator("[data-testid=dismiss-token]").ClickAsync();
            try
            {
                await olga.Page.Locator("[data-testid=new-token-secret]").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
        Assert.Equal(0, await olga.Page.Locator("[data-testid=new-token-secret]").CountAsync());
        await olga.GotoAsync("api-reference", "[data-testid=api-runs]");
        await olga.ScreenshotAsync("29-api-reference");

        using var pipeline = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        pipeline.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var created = await pipeline.PostAsJsonAsync("/api/v1/runs", new { target = "dev", to = "1.2.0" }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await JsonAsync(created);
        var id = run.GetProperty("id").GetString()!;
        foreach (var item in run.GetProperty("checklist").EnumerateArray()
                     .Where(i => i.GetProperty("kind").GetString() == "Manual" && i.GetProperty("phase").GetString() == "BeforeApproval" && i.GetProperty("required").GetBoolean()))
        {
            await ActAsync(pipeline, id, $"checklist/{item.GetProperty("id").GetString()}", new { comment = "checked in pipeline 4711" });
        }
        await ActAsync(pipeline, id, "backup");
        await WaitForAsync(pipeline, id, r => r.GetProperty("checklist").EnumerateArray()
            .Any(i => i.GetProperty("id").GetString() == "exec.backup-verified" && i.GetProperty("status").GetString() == "Passed"));
        Assert.Equal("AwaitingApproval", (await ActAsync(pipeline, id, "request-approval")).GetProperty("state").GetString());
        // No path of the API approves: approval is a person's act on the run's page.
        var paths = JsonDocument.Parse(await pipeline.GetStringAsync("/openapi/v1.json", Token)).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/runs/{id}/start", paths);
        Assert.DoesNotContain(paths, p => p.EndsWith("/approve", StringComparison.OrdinalIgnoreCase) || p.EndsWith("/approve-and-run", StringComparison.OrdinalIgnoreCase));

        await using var bob = await DbaSession.SignInAsync(browser, portal, "bob");
        await bob.GotoAsync($"runs/{id}", "[data-testid=run-summary]");
        // What the token did, it did as olga: she prepared the run, so bob may approve it.
        Assert.StartsWith("olga (created the run", await bob.Page.Locator("[data-testid=prepared-by]").InnerTextAsync());
        await bob.ClickAsync("Approve");
        await bob.WaitForStateAsync("Approved");

        Assert.Equal("Queued", (await ActAsync(pipeline, id, "start")).GetProperty("state").GetString());
        long after = 0;
        JsonElement page;
        var kinds = new List<string>();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        do
        {
            page = await JsonAsync(await pipeline.GetAsync($"/api/v1/runs/{id}/events?after={after}&wait=10", Token));
            kinds.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!));
            after = page.GetProperty("last").GetInt64();
        }
        while (!page.GetProperty("ended").GetBoolean() && DateTime.UtcNow < deadline);
        Assert.Equal("Succeeded", page.GetProperty("state").GetString());
        Assert.Contains("RunStarted", kinds);
        Assert.Contains("RunFinished", kinds);
        await bob.WaitForStateAsync("Succeeded");

        var audit = await (await olga.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv")).TextAsync();
        Assert.Contains(",api-token-created,", audit);
        Assert.Contains(",olga,Operator,run-queued,", audit);
        Assert.Contains(",bob,Approver,approved,", audit);
    }

    /// <summary>One of the run's actions, with the revision read just before (as a pipeline does).</summary>
    private static async Task<JsonElement> ActAsync(HttpClient pipeline, string id, string action, object? body = null)
    {
        var revision = (await JsonAsync(await pipeline.GetAsync($"/api/v1/runs/{id}", Token))).GetProperty("revision").GetInt64();
        var fields = JsonSerializer.SerializeToElement(body ?? new { }).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        fields["revision"] = revision;
        var response = await pipeline.PostAsJsonAsync($"/api/v1/runs/{id}/{action}", fields, Token);
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
        return await JsonAsync(response);
    }

    private static async Task WaitForAsync(HttpClient pipeline, string id, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition(await JsonAsync(await pipeline.GetAsync($"/api/v1/runs/{id}", Token))))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Run {id} did not get there within a minute.");
            await Task.Delay(500, Token);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.Clone();
}
