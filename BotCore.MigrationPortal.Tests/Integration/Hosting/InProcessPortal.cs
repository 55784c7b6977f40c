using System.Net;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>
/// The sandbox portal in process as <see cref="PortalHost"/> builds it, with an audit log the tests read and a request
/// header, <see cref="PeerHeader"/>, that stands for the address of whoever opened the connection (the in-memory server
/// has none). A subclass changes the environment or the settings.
/// </summary>
public class InProcessPortal : WebApplicationFactory<Program>
{
    public const string Password = "in-process-test-password";
    public const string PeerHeader = "X-Test-Peer";

    public RecordingAuditLog Audit { get; } = new();

    protected virtual string EnvironmentName => "Development";

    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Portal:Sandbox", "true");
        builder.UseSetting(SandboxDemoUsers.PasswordSetting, Password);
        builder.UseSetting("Portal:LogDirectory", Path.Combine(Path.GetTempPath(), "botcore-portal-tests", "logs"));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IAuditLog>(Audit);
            services.AddSingleton<IStartupFilter, PeerFromHeader>();
        });
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the sign-in form as a browser would, with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password, Action<HttpRequestMessage>? decorate = null)
    {
        var token = CancellationToken;
        var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/signin");
        decorate?.Invoke(pageRequest);
        var page = await (await client.SendAsync(pageRequest, token)).Content.ReadAsStringAsync(token);
        var form = new Dictionary<string, string>
        {
            ["username"] = name,
            ["password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value),
        };
        var post = new HttpRequestMessage(HttpMethod.Post, "/auth/signin") { Content = new FormUrlEncodedContent(form) };
        decorate?.Invoke(post);
        return await client.SendAsync(post, token);
    }

    public async Task<HttpClient> SignedInAsync(string name)
    {
        var client = NewClient();
        var response = await SignInAsync(client, name, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return client;
    }

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    /// <summary>Runs before the portal's own pipeline, as the connection's address is known before any middleware.</summary>
    private sealed class PeerFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[PeerHeader].ToString(), out var peer)) context.Connection.RemoteIpAddress = peer;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
