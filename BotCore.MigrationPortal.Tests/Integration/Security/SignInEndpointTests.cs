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

/// <summary>
/// The sandbox portal in process, for the sign-in page, its endpoints and the role policies over HTTP. Every client of the test
/// server shares one address, so the sign-in rate limit is raised here; <see cref="RateLimitedPortalFactory"/> keeps the default.
/// </summary>
public class SandboxPortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "http-test-password";

    protected virtual int SignInAttemptsPerMinute => 1000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Portal:Sandbox", "true");
        builder.UseSetting(SandboxDemoUsers.PasswordSetting, Password);
        builder.UseSetting("Portal:SignIn:AttemptsPerMinute", SignInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Portal:LogDirectory", Path.Combine(Path.GetTempPath(), "botcore-portal-tests", "logs"));
        builder.ConfigureTestServices(services => services.AddSingleton<IAuditLog>(Audit));
    }

    public RecordingAuditLog Audit { get; } = new();

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public IEnumerable<AuditRecord> AuditedFor(string user) => Audit.Records.Where(r => r.User == user);

    /// <summary>A client that sends only the given cookie header: a cookie copied from another browser.</summary>
    public HttpClient ClientWithCookie(string cookie)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}

/// <summary>The portal with the default sign-in rate limit, for the test of the limit itself.</summary>
public sealed class RateLimitedPortalFactory : SandboxPortalFactory
{
    protected override int SignInAttemptsPerMinute => 10;
}

[Collection(Hosting.InProcessPortals.Name)]
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

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password, string? returnUrl = null, bool withToken = true)
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

    [Theory]
    [InlineData("/runs/é", "/runs/%C3%A9")]
    [InlineData("/runs/🚀?tab=événements", "/runs/%F0%9F%9A%80?tab=%C3%A9v%C3%A9nements")]
    public async Task A_return_address_with_other_than_ASCII_characters_is_followed_percent_encoded(string returnUrl, string expected)
    {
        var response = await SignInAsync(portal.NewClient(), "alice", SandboxPortalFactory.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(SetsAuthCookie(response));
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_multipart_sign_in_form_sent_without_a_length_is_refused_unread_and_signs_nobody_in()
    {
        var client = portal.NewClient();
        // The portal is shared by the class's tests, some of which sign ada in: count hers before.
        var signInsBefore = portal.AuditedFor("ada").Count(r => r.Action == AuditActions.SignIn);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("ada"), "username" },
            { new StringContent(SandboxPortalFactory.Password), "password" },
            { new StringContent(await TokenFromAsync(client, "/signin")), "__RequestVerificationToken" },
            { new ByteArrayContent(new byte[1024 * 1024]), "upload", "upload.bin" },
        };
        // Chunked, as a client that wants past the 8 KB limit sends it: no Content-Length to refuse it by.
        using var chunked = new WithoutLength(form);

        var response = await client.PostAsync("/auth/signin", chunked, Token);

        Assert.Null(chunked.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False(SetsAuthCookie(response));
        Assert.Contains("application/x-www-form-urlencoded", await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(signInsBefore, portal.AuditedFor("ada").Count(r => r.Action == AuditActions.SignIn));
    }

    /// <summary>Content sent as it is written, without a Content-Length.</summary>
    private sealed class WithoutLength : HttpContent
    {
        private readonly HttpContent inner;

        public WithoutLength(HttpContent inner)
        {
            this.inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_come_back_with_the_same_page()
    {
        var client = portal.NewClient();

        var wrong = await SignInAsync(client, "olga", "not the password", "/runs");
        var unknown = await SignInAsync(client, "nobody", "not the password", "/runs");

        Assert.StartsWith("/signin?returnUrl=/runs&e=", Location(wrong));
        Assert.StartsWith("/signin?returnUrl=/runs&e=", Location(unknown));
        var wrongPage = WebUtility.HtmlDecode(await client.GetStringAsync(wrong.Headers.Location, Token));
        var unknownPage = WebUtility.HtmlDecode(await client.GetStringAsync(unknown.Headers.Location, Token));
        Assert.Equal(SignInMessages.For(SignInError.WrongNameOrPassword), ErrorShown(wrongPage));
        Assert.Equal(ErrorShown(wrongPage), ErrorShown(unknownPage));
        Assert.Contains("value=\"olga\"", wrongPage);
        Assert.False(SetsAuthCookie(wrong) || SetsAuthCookie(unknown));
    }

    [GeneratedRegex("data-testid=\"signin-error\".*?mud-alert-message[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex SignInErrorAlert();

    /// <summary>The text of the sign-in page's error, without its markup.</summary>
    private static string ErrorShown(string page) => Regex.Replace(SignInErrorAlert().Match(page).Groups[1].Value, "<[^>]+>", "").Trim();

    [Fact]
    public async Task A_locked_account_and_a_disabled_one_answer_exactly_as_a_wrong_password_does()
    {
        var client = portal.NewClient();
        for (var i = 1; i <= 5; i++) await SignInAsync(client, "bob", $"guess {i}");

        var locked = await SignInAsync(client, "bob", SandboxPortalFactory.Password);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(locked.Headers.Location, Token));
        Assert.Equal(SignInMessages.For(SignInError.WrongNameOrPassword), ErrorShown(page));
        Assert.False(SetsAuthCookie(locked));
        Assert.Contains(portal.AuditedFor("bob"), r => r.Action == AuditActions.SignInFailed && r.Details.StartsWith("account locked for", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/signin?error=LockedOut&until=2030-01-01T00:00:00Z")]
    [InlineData("/signin?error=Disabled&name=ada")]
    [InlineData("/signin?e=not-a-protected-value")]
    public async Task A_crafted_link_cannot_choose_what_the_sign_in_page_says(string link)
    {
        var page = WebUtility.HtmlDecode(await portal.NewClient().GetStringAsync(link, Token));

        Assert.DoesNotContain("data-testid=\"signin-error\"", page);
        Assert.DoesNotContain("value=\"ada\"", page);
        Assert.DoesNotContain("2030", page);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_signs_nobody_in()
    {
        var client = portal.NewClient();

        var response = await SignInAsync(client, "ada", SandboxPortalFactory.Password, withToken: false);

        Assert.False(SetsAuthCookie(response));
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(response.Headers.Location, Token));
        Assert.Contains(SignInMessages.For(SignInError.FormExpired), page);
    }

    [Fact]
    public async Task A_sign_in_form_of_megabytes_is_refused_with_a_message_not_an_error_page()
    {
        var client = portal.NewClient();
        var form = new Dictionary<string, string>
        {
            ["username"] = new('a', 4 * 1024 * 1024), ["password"] = "x", ["__RequestVerificationToken"] = await TokenFromAsync(client, "/signin"),
        };

        var response = await client.PostAsync("/auth/signin", new FormUrlEncodedContent(form), Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("The sign-in form was larger than 8 KB", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task A_Viewer_is_refused_the_Users_page_and_told_why()
    {
        var client = portal.NewClient();
        await SignInAsync(client, "victor", SandboxPortalFactory.Password);

        var response = await client.GetAsync("/users", Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?returnUrl=/users&e=", new Uri(response.Headers.Location!.ToString()).PathAndQuery.Replace("%2F", "/"));
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(response.Headers.Location, Token));
        Assert.Contains("You are signed in as victor (Viewer).", page);
    }

    [Fact]
    public async Task A_page_refused_to_a_signed_in_person_is_audited_with_its_path_and_never_its_query()
    {
        var client = portal.NewClient();
        await SignInAsync(client, "victor", SandboxPortalFactory.Password);

        var response = await client.GetAsync("/hangfire/jobs/failed?token=s3cr3t-value", Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var refused = Assert.Single(portal.AuditedFor("victor"), r => r.Action == AuditActions.ActionRefused && r.Details.Contains("/hangfire"));
        Assert.Equal("Viewer", refused.Role);
        Assert.Contains("/hangfire/jobs/failed", refused.Details);
        Assert.DoesNotContain("s3cr3t", refused.Details);
        Assert.DoesNotContain("token", refused.Details);
    }

    /// <summary>
    /// An antiforgery token bound to the signed-in person: interactive pages keep theirs in the circuit, but the static sign-in
    /// page shows one when it explains a refused page.
    /// </summary>
    private async Task<string> SignedInTokenAsync(HttpClient client) =>
        await TokenFromAsync(client, portal.Services.GetRequiredService<SignInErrors>().AddTo("/signin", SignInError.Forbidden, null));

    private async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string path) =>
        await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await SignedInTokenAsync(client) }), Token);

    private static string AuthCookieOf(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("botcore.portal.auth=", StringComparison.Ordinal)).Split(';')[0];

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_no_longer_reads_anything()
    {
        var client = portal.NewClient();
        var cookie = AuthCookieOf(await SignInAsync(client, "olga", SandboxPortalFactory.Password));
        var copy = portal.ClientWithCookie(cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/audit/export.csv", Token)).StatusCode);

        var response = await PostWithTokenAsync(client, "/auth/signout");

        Assert.Equal("/signin", Location(response));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/runs", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/audit/export.csv", Token)).StatusCode);
        Assert.Contains(portal.AuditedFor("olga"), r => r.Action == AuditActions.SignOut && r.Role == "Operator");
        Assert.Contains(portal.AuditedFor("olga"), r => r.Action == AuditActions.SessionRefused);
    }

    [Fact]
    public async Task After_a_password_reset_a_copied_cookie_no_longer_reads_anything()
    {
        var administration = portal.Services.GetRequiredService<UserAdministration>();
        var admin = new TrustedCaller(new Actor("ada", Role.Admin));
        await administration.CreateAsync(admin, new NewUserRequest("rita", Role.Operator, SandboxPortalFactory.Password), Token);
        var copy = portal.ClientWithCookie(AuthCookieOf(await SignInAsync(portal.NewClient(), "rita", SandboxPortalFactory.Password)));
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/audit/export.csv", Token)).StatusCode);

        await administration.ResetPasswordAsync(admin, "rita", "copper meadow violin", Token);

        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/audit/export.csv", Token)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_person()
    {
        var first = portal.NewClient();
        var second = portal.NewClient();
        await SignInAsync(first, "ada", SandboxPortalFactory.Password);
        await SignInAsync(second, "ada", SandboxPortalFactory.Password);

        var response = await PostWithTokenAsync(first, "/auth/signout-everywhere");

        Assert.Equal("/signin", Location(response));
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/users", Token)).StatusCode);
        Assert.Contains(portal.AuditedFor("ada"), r => r.Action == AuditActions.SessionsEnded);
        // Signing in again works: only the sessions ended, not the account.
        Assert.True(SetsAuthCookie(await SignInAsync(portal.NewClient(), "ada", SandboxPortalFactory.Password)));
    }
}

/// <summary>The sign-in rate limit per client address, with its default.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class SignInRateLimitTests(RateLimitedPortalFactory portal) : IClassFixture<RateLimitedPortalFactory>
{
    [Fact]
    public async Task More_than_ten_sign_in_posts_a_minute_from_one_address_are_refused_with_429_and_when_to_retry()
    {
        var token = TestContext.Current.CancellationToken;
        var client = portal.NewClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "ada", ["password"] = "guess" });
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 12; i++) statuses.Add((await client.PostAsync("/auth/signin", form, token)).StatusCode);
        var refused = await client.PostAsync("/auth/signin", form, token);

        Assert.All(statuses.Take(10), status => Assert.Equal(HttpStatusCode.Redirect, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.StartsWith("Too many sign-in attempts from your address.", await refused.Content.ReadAsStringAsync(token));
    }
}
