using System.Net;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>The sandbox portal in process, for the sign-in page, its endpoints and the role policies over HTTP.</summary>
public sealed class SandboxPortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "http-test-password";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Portal:Sandbox", "true");
        builder.UseSetting(SandboxDemoUsers.PasswordSetting, Password);
        builder.UseSetting("Portal:LogDirectory", Path.Combine(Path.GetTempPath(), "botcore-portal-tests", "logs"));
        builder.ConfigureTestServices(services => services.AddSingleton<IAuditLog>(Audit));
    }

    public RecordingAuditLog Audit { get; } = new();

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public IEnumerable<AuditRecord> AuditedFor(string user) => Audit.Records.Where(r => r.User == user);
}

public sealed partial class SignInEndpointTests(SandboxPortalFactory portal) : IClassFixture<SandboxPortalFactory>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<string> TokenFromAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path, Token);
        return WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password, string? returnUrl = null, bool withToken = true)
    {
        var form = new Dictionary<string, string> { ["username"] = name, ["password"] = password, ["returnUrl"] = returnUrl ?? "" };
        if (withToken) form["__RequestVerificationToken"] = await TokenFromAsync(client, "/signin");
        return await client.PostAsync("/auth/signin", new FormUrlEncodedContent(form), Token);
    }

    private static string Location(HttpResponseMessage response) => Uri.UnescapeDataString(response.Headers.Location!.OriginalString);

    private static bool SetsAuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("botcore.portal.auth=", StringComparison.Ordinal));

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/runs")]
    public async Task Every_page_sends_someone_not_signed_in_to_the_sign_in_page(string path)
    {
        var response = await portal.NewClient().GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/signin?returnUrl={path}", new Uri(response.Headers.Location!.ToString()).PathAndQuery.Replace("%2F", "/"));
    }

    [Fact]
    public async Task The_Blazor_hub_needs_a_signed_in_user()
    {
        var response = await portal.NewClient().PostAsync("/_blazor/negotiate?negotiateVersion=1", null, Token);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Redirect });
    }

    [Fact]
    public async Task The_sign_in_page_is_public_and_lists_the_demo_users_without_passwords()
    {
        var page = await portal.NewClient().GetStringAsync("/signin", Token);

        Assert.Contains("<form method=\"post\" action=\"auth/signin\">", page);
        Assert.Contains("name=\"__RequestVerificationToken\"", page);
        Assert.All(SandboxDemoUsers.Accounts, account => Assert.Contains($">{account.Name}</td><td>{account.Role}</td>", page));
        Assert.Contains("Their passwords are printed in the console", page);
        Assert.DoesNotContain(SandboxPortalFactory.Password, page);
    }

    [Fact]
    public async Task Signing_in_goes_to_the_local_return_address_with_a_http_only_strict_cookie()
    {
        var client = portal.NewClient();

        var response = await SignInAsync(client, "ada", SandboxPortalFactory.Password, "/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users", Location(response));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("botcore.portal.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users", Token)).StatusCode);
        Assert.Contains(portal.AuditedFor("ada"), r => r.Action == AuditActions.SignIn);
    }

    [Theory]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/https://evil.example/")]
    public async Task A_return_address_elsewhere_is_not_followed(string returnUrl, string expected)
    {
        var response = await SignInAsync(portal.NewClient(), "alice", SandboxPortalFactory.Password, returnUrl);

        Assert.True(SetsAuthCookie(response));
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_come_back_with_the_same_error()
    {
        var client = portal.NewClient();

        var wrong = await SignInAsync(client, "olga", "not the password", "/runs");
        var unknown = await SignInAsync(client, "nobody", "not the password", "/runs");

        Assert.Equal("/signin?error=WrongNameOrPassword&name=olga&returnUrl=/runs", Location(wrong));
        Assert.Equal("/signin?error=WrongNameOrPassword&name=nobody&returnUrl=/runs", Location(unknown));
        var page = await client.GetStringAsync(wrong.Headers.Location, Token);
        Assert.Contains("Wrong name or password.", page);
        Assert.Contains("value=\"olga\"", page);
        Assert.False(SetsAuthCookie(wrong) || SetsAuthCookie(unknown));
    }

    [Fact]
    public async Task The_fifth_wrong_password_locks_and_the_page_says_until_when()
    {
        var client = portal.NewClient();
        for (var i = 1; i < 5; i++) await SignInAsync(client, "bob", $"guess {i}");

        var fifth = await SignInAsync(client, "bob", "guess 5");
        var right = await SignInAsync(client, "bob", SandboxPortalFactory.Password);

        Assert.StartsWith("/signin?error=LockedOut&name=bob&until=", Location(fifth));
        Assert.StartsWith("/signin?error=LockedOut", Location(right));
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(right.Headers.Location, Token));
        Assert.Matches(@"locked after too many failed sign-ins, until \d\d:\d\d UTC \(in 15 minutes\)", page);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_signs_nobody_in()
    {
        var response = await SignInAsync(portal.NewClient(), "ada", SandboxPortalFactory.Password, withToken: false);

        Assert.Equal("/signin?error=FormExpired&name=ada", Location(response));
        Assert.False(SetsAuthCookie(response));
    }

    [Fact]
    public async Task A_Viewer_is_refused_the_Users_page_and_told_why()
    {
        var client = portal.NewClient();
        await SignInAsync(client, "victor", SandboxPortalFactory.Password);

        var response = await client.GetAsync("/users", Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=/users&error=Forbidden", new Uri(response.Headers.Location!.ToString()).PathAndQuery.Replace("%2F", "/"));
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(response.Headers.Location, Token));
        Assert.Contains("You are signed in as victor (Viewer).", page);
    }

    [Fact]
    public async Task Signing_out_is_audited_ends_the_session_and_goes_to_the_sign_in_page()
    {
        var client = portal.NewClient();
        await SignInAsync(client, "olga", SandboxPortalFactory.Password);
        // Interactive pages carry their token in the circuit, not in HTML; the static sign-in page shows one bound to olga.
        var token = await TokenFromAsync(client, "/signin?error=Forbidden");

        var response = await client.PostAsync("/auth/signout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Token);

        Assert.Equal("/signin", Location(response));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Token)).StatusCode);
        Assert.Contains(portal.AuditedFor("olga"), r => r.Action == AuditActions.SignOut && r.Role == "Operator");
    }
}
