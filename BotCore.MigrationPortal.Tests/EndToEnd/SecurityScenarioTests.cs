using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// The portal attacked as the security review did, in a real browser: pages opened before a demotion, a disabling or a sign-out
/// and then used; a cookie copied before sign-out; an Approver approving her own preparation; an anonymous client trying to
/// lock an Admin out; a name that tries to forge a log line; an oversized comment; a date at the end of the calendar. The
/// portal runs behind a (simulated) TLS proxy, so each browser context can stand for another client address.
/// </summary>
public sealed partial class SecurityScenarioTests(ProxiedSandboxPortal portal, Browser browser) : IClassFixture<ProxiedSandboxPortal>, IClassFixture<Browser>
{
    private const string Attacker = "203.0.113.66";

    /// <summary>Each person at a desk of their own: the sign-in rate limit counts per address.</summary>
    private static readonly IReadOnlyDictionary<string, string> Desks = new Dictionary<string, string>
    {
        ["ada"] = "198.51.100.11", ["alice"] = "198.51.100.12", ["bob"] = "198.51.100.13", ["olga"] = "198.51.100.14", ["victor"] = "198.51.100.15",
    };

    // A page notices an ended session at its next check; the test waits a little longer than that.
    private static readonly TimeSpan PageRecheck = ProxiedSandboxPortal.PageRecheck + TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Stale_pages_copied_cookies_four_eyes_lockout_abuse_and_log_forgery_are_all_refused()
    {
        Assert.SkipWhen(portal.SkipReason is not null, portal.SkipReason ?? "");
        Assert.SkipWhen(browser.SkipReason is not null, browser.SkipReason ?? "");

        await An_approver_who_prepared_a_run_cannot_approve_it();
        await Pages_opened_before_a_demotion_a_disabling_or_a_sign_out_cannot_act();
        await An_anonymous_client_cannot_lock_an_admin_out();
        await A_sign_in_name_cannot_forge_a_log_line();
        await A_date_at_the_end_of_the_calendar_is_read_as_no_end();
    }

    private async Task<string> CreateRunAsync(DbaSession operatorSession, string target)
    {
        await operatorSession.GotoAsync($"runs/new?target={target}", "[data-testid=create-run]");
        await operatorSession.Page.Locator("[data-testid=create-run]").ClickAsync();
        await operatorSession.Page.WaitForURLAsync("**/runs/run-*");
        await operatorSession.WaitForStateAsync("Pre-checks");
        return new Uri(operatorSession.Page.Url).AbsolutePath;
    }

    private async Task An_approver_who_prepared_a_run_cannot_approve_it()
    {
        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga", Desks["olga"]);
        var run = await CreateRunAsync(olga, "staging");
        await olga.TickAsync("pre.performance", "Reviewed with the team");
        await olga.TickAsync("pre.notify", "Announced");
        await using var alice = await DbaSession.SignInAsync(browser, portal, "alice", Desks["alice"]);
        await alice.GotoAsync(run, "[data-testid=run-state]");
        await alice.BackUpAsync();
        await olga.GotoAsync(run, "[data-testid=run-state]");
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");

        await alice.GotoAsync(run, "[data-testid=who-may-approve]");

        Assert.False(await alice.HasButtonAsync("Approve"));
        Assert.False(await alice.HasButtonAsync("Approve and run"));
        Assert.Contains("You may not: Four eyes: alice took its backup", await alice.Page.Locator("[data-testid=who-may-approve]").InnerTextAsync());
        Assert.Contains("alice (took its backup)", await alice.Page.Locator("[data-testid=prepared-by]").InnerTextAsync());
        await alice.ScreenshotAsync("17-four-eyes-preparer");
    }

    private async Task Pages_opened_before_a_demotion_a_disabling_or_a_sign_out_cannot_act()
    {
        await using var olga = await DbaSession.SignInAsync(browser, portal, "olga", Desks["olga"]);
        var run = await CreateRunAsync(olga, "dev");
        // A pasted comment of 40,000 characters: the field keeps 2,000 and the page's connection survives.
        await olga.Page.Locator("[data-testid='tick-pre.performance']").ClickAsync();
        var comment = olga.Page.Locator(".mud-dialog textarea").First;
        await comment.FillAsync(new string('x', 40_000));
        Assert.Equal(2_000, (await comment.InputValueAsync()).Length);
        await olga.Page.Locator("[data-testid=reason-confirm]").ClickAsync();
        await olga.Page.Locator("[data-testid='tick-pre.performance']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await olga.TickAsync("pre.notify", "Announced");
        await olga.BackUpAsync();
        await olga.ClickAsync("Request approval");
        await olga.WaitForStateAsync("Awaiting approval");

        await using var bob = await DbaSession.SignInAsync(browser, portal, "bob", Desks["bob"]);
        await bob.GotoAsync(run, "[data-testid=run-state]");
        await using var alice = await DbaSession.SignInAsync(browser, portal, "alice", Desks["alice"]);
        await alice.GotoAsync(run, "[data-testid=run-state]");
        await using var ada = await DbaSession.SignInAsync(browser, portal, "ada", Desks["ada"]);
        var adaRun = await ada.Page.Context.NewPageAsync();
        await adaRun.GotoAsync($"{portal.BaseUrl}{run}");
        await adaRun.Locator("[data-testid=run-state]").WaitForAsync();
        var adaCookies = await ada.Page.Context.CookiesAsync();

        // Ada demotes bob to Viewer from the Users page; his open page still shows the buttons until its next check, and the
        // server refuses the act.
        await ada.GotoAsync("users", "[data-testid=users-table]");
        await ada.Page.Locator("[data-testid=change-role-bob]").ClickAsync();
        await ada.Page.Locator("[data-testid=role-Viewer]").ClickAsync();
        await ada.Page.Locator("[data-testid=change-role-submit]").ClickAsync();
        await ada.Page.GetByText("bob is now Viewer.").WaitForAsync();
        await bob.ClickAsync("Approve and run");
        await bob.Page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Your session has ended" }).WaitForAsync();
        await bob.ScreenshotAsync("16-stale-page-refused", fullPage: false);

        // The same for alice, disabled.
        await ada.Page.Locator("[data-testid=disable-alice]").ClickAsync();
        await ada.Page.Locator(".mud-message-box button", new PageLocatorOptions { HasText = "Disable" }).ClickAsync();
        await ada.Page.GetByText("alice is disabled.").WaitForAsync();
        await alice.ClickAsync("Approve");
        await alice.Page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "The account 'alice' is disabled" }).WaitForAsync();

        // Ada signs out in one tab; her other tab, still open on the run, cannot approve.
        await ada.Page.Locator("[data-testid=sign-out]").ClickAsync();
        await ada.Page.WaitForURLAsync("**/signin");
        await adaRun.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Approve", Exact = true }).ClickAsync();
        await adaRun.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Your session has ended" }).WaitForAsync();

        // Within seconds each stale page turns to the sign-in page by itself.
        await bob.Page.WaitForURLAsync("**/signin**", new PageWaitForURLOptions { Timeout = (float)PageRecheck.TotalMilliseconds });
        await alice.Page.WaitForURLAsync("**/signin**", new PageWaitForURLOptions { Timeout = (float)PageRecheck.TotalMilliseconds });

        // A copy of ada's cookie taken before she signed out reads nothing.
        var copy = await browser.Chromium.NewContextAsync();
        await copy.AddCookiesAsync(adaCookies.Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        var export = await copy.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal(302, export.Status);
        Assert.Contains("/signin", export.Headers["location"]);
        await copy.CloseAsync();

        // Nothing was approved, and the audit log names every refused attempt with the role read at the time.
        await olga.GotoAsync(run, "[data-testid=run-state]");
        Assert.Equal("Awaiting approval", await olga.StateAsync());
        var audit = await (await olga.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv?action=action-refused")).TextAsync();
        Assert.Contains(",bob,Viewer,action-refused,", audit);
        Assert.Contains(",alice,Approver,action-refused,", audit);
        Assert.Contains(",ada,Admin,action-refused,", audit);
        Assert.Contains("tried to approve and run run", audit);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Posts the sign-in form as a script would (curl-like, from the context's address), with a fresh form token.</summary>
    /// <returns>The status of the post: 302 back to a page, or 429 when the address is over its rate.</returns>
    private async Task<int> SignInPostAsync(IBrowserContext context, string name, string password)
    {
        var form = await (await context.APIRequest.GetAsync($"{portal.BaseUrl}/signin")).TextAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
        var response = await context.APIRequest.PostAsync($"{portal.BaseUrl}/auth/signin", new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("username", name).Set("password", password).Set("__RequestVerificationToken", token),
            MaxRedirects = 0,
        });
        return response.Status;
    }

    private async Task An_anonymous_client_cannot_lock_an_admin_out()
    {
        var attacker = await DbaSession.NewContextAsync(browser, Attacker);
        for (var i = 1; i <= 5; i++) Assert.Equal(302, await SignInPostAsync(attacker, "ada", $"guess {i}"));
        // The right password from the guessing address is refused like any other failure.
        await SignInPostAsync(attacker, "ada", SandboxPortal.Password);
        Assert.DoesNotContain(await attacker.CookiesAsync(), c => c.Name == "botcore.portal.auth");
        // Ada, from her own address, signs in at once.
        await using var ada = await DbaSession.SignInAsync(browser, portal, "ada", Desks["ada"]);
        Assert.Contains("ada", await ada.Page.Locator("[data-testid=signed-in-user]").InnerTextAsync());

        // The guesser is slowed to ten tries a minute.
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++) statuses.Add(await SignInPostAsync(attacker, "ada", $"more {i}"));
        Assert.Contains(429, statuses);
        await attacker.CloseAsync();
    }

    private async Task A_sign_in_name_cannot_forge_a_log_line()
    {
        const string forged = "[12:00:00 INF] Audit #999 approved by ada";
        var context = await DbaSession.NewContextAsync(browser, "192.0.2.10");
        // Typed into the form, a name keeps no line break; posted by a script, it does.
        await SignInPostAsync(context, $"x\r\n{forged}\u001b[31m", "guess");
        await context.CloseAsync();

        var lines = await ReadLogLinesAsync();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, line => line.StartsWith(forged, StringComparison.Ordinal));
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        Assert.Contains(lines, line => line.Contains("Audit #999 approved by ada", StringComparison.Ordinal) && line.Contains("\\r\\n", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<string>> ReadLogLinesAsync()
    {
        // The file sink writes in the background: give it a moment to flush the attempt.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var lines = Directory.Exists(portal.LogDirectory)
                ? Directory.GetFiles(portal.LogDirectory, "*.jsonl").SelectMany(ReadShared).ToList()
                : [];
            if (lines.Any(line => line.Contains("Audit #999", StringComparison.Ordinal))) return lines;
            await Task.Delay(250);
        }
        return [];
    }

    private static IEnumerable<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    private async Task A_date_at_the_end_of_the_calendar_is_read_as_no_end()
    {
        await using var victor = await DbaSession.SignInAsync(browser, portal, "victor", Desks["victor"]);

        var export = await victor.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv?to=9999-12-31");
        var overflow = await victor.Page.APIRequest.GetAsync($"{portal.BaseUrl}/audit/export.csv?to=10000-01-01");

        Assert.Equal(200, export.Status);
        Assert.Equal(400, overflow.Status);
    }
}
