using System.Net;
using System.Security.Claims;
using System.Text.Json;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Hosting.Health;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>/health of the sandbox portal as shipped: the status for anyone, the details for a signed-in user.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class HealthEndpointTests(InProcessPortal portal) : IClassFixture<InProcessPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The Hangfire server announces itself a moment after start-up; until then the portal is rightly unhealthy.</summary>
    private static async Task<HttpResponseMessage> HealthyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await client.GetAsync("/health", Token);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline) return response;
            await Task.Delay(200, Token);
        }
    }

    [Fact]
    public async Task Someone_not_signed_in_gets_the_status_alone()
    {
        var response = await HealthyAsync(portal.NewClient());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"status":"healthy"}""", await response.Content.ReadAsStringAsync(Token));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("ada")]
    [InlineData("victor")]
    public async Task A_signed_in_user_gets_the_store_the_job_servers_and_each_target(string user)
    {
        using var client = await portal.SignedInAsync(user);

        var response = await HealthyAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var root = health.RootElement;
        Assert.Equal(("healthy", "sandbox"), (root.GetProperty("status").GetString(), root.GetProperty("mode").GetString()));
        Assert.True(root.GetProperty("store").GetProperty("ok").GetBoolean());
        Assert.Equal("in memory (sandbox)", root.GetProperty("store").GetProperty("detail").GetString());
        Assert.True(root.GetProperty("hangfire").GetProperty("ok").GetBoolean());
        Assert.True(root.GetProperty("hangfire").GetProperty("servers").GetInt32() >= 1);
        // legacy is the simulated database the spec's scripts built: it answers, but names no one version until adopted.
        Assert.Equal(
            [("dev", "Development", true, "0.0.0", true), ("staging", "Staging", true, "0.0.0", true), ("legacy", "Production", true, null, false),
                ("production", "Production", true, "0.0.0", true)],
            root.GetProperty("targets").EnumerateArray().Select(t =>
                (t.GetProperty("name").GetString(), t.GetProperty("tier").GetString(), t.GetProperty("reachable").GetBoolean(), t.GetProperty("version").GetString(),
                    t.GetProperty("adopted").GetBoolean())));
    }
}

/// <summary>
/// /health as the portal maps it, on an in-memory server with a job storage whose servers the test announces and a
/// target that does not answer (its connection string holds a password that must never be shown).
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class UnhealthyPortalHealthTests : IAsyncLifetime
{
    private const string SignedInHeader = "X-Test-Signed-In";
    private const string Secret = "s3cret-in-the-uri";
    private InMemoryStorage jobs = default!;
    private WebApplication app = default!;
    private HttpClient client = default!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Hangfire logs through one process-wide provider, which another test's host, disposed by now, may have left behind.
        LogProvider.SetCurrentLogProvider(new NoLogging());
        jobs = new InMemoryStorage();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // Only this broken target: not the portal's appsettings.json, which the test output holds too.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Targets:broken:ConnectionString"] = $"mongodb://admin:{Secret}@127.0.0.1:1/?directConnection=true",
            ["Targets:broken:TimeoutSeconds"] = "1",
            ["Targets:broken:Tier"] = "Staging",
        });
        builder.Services.AddSingleton(new PortalMode(IsSandbox: false));
        builder.Services.AddMigrationEngine(builder.Configuration, sandbox: false);
        builder.Services.AddSingleton<JobStorage>(jobs);
        builder.Services.AddPortalHealthChecks();
        app = builder.Build();
        // A stand-in for sign-in: the portal's own is not what these tests are about.
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(SignedInHeader)) context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
            return next(context);
        });
        app.MapPortalHealthChecks();
        await app.StartAsync(Token);
        client = app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        jobs.Dispose();
    }

    private void AnnounceJobServer()
    {
        using var connection = jobs.GetConnection();
        connection.AnnounceServer("test-server", new ServerContext { Queues = ["default"], WorkerCount = 1 });
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(bool signedIn)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, PortalHealthChecks.Path);
        if (signedIn) request.Headers.Add(SignedInHeader, "yes");
        var response = await client.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task Without_a_job_server_someone_not_signed_in_gets_503_and_the_status_alone()
    {
        var (status, body) = await GetAsync(signedIn: false);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("""{"status":"unhealthy"}""", body);
    }

    [Fact]
    public async Task Without_a_job_server_a_signed_in_user_is_told_why()
    {
        var (status, body) = await GetAsync(signedIn: true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using var health = JsonDocument.Parse(body);
        Assert.Equal(("unhealthy", "mongodb"), (health.RootElement.GetProperty("status").GetString(), health.RootElement.GetProperty("mode").GetString()));
        Assert.Equal("""{"ok":false,"servers":0}""", health.RootElement.GetProperty("hangfire").GetRawText());
    }

    [Fact]
    public async Task An_unreachable_target_degrades_the_portal_but_leaves_it_healthy_for_a_load_balancer()
    {
        AnnounceJobServer();

        var anonymous = await GetAsync(signedIn: false);
        var signedIn = await GetAsync(signedIn: true);

        Assert.Equal((HttpStatusCode.OK, """{"status":"healthy"}"""), anonymous);
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        using var health = JsonDocument.Parse(signedIn.Body);
        Assert.Equal("""{"ok":true,"servers":1}""", health.RootElement.GetProperty("hangfire").GetRawText());
        var target = Assert.Single(health.RootElement.GetProperty("targets").EnumerateArray());
        Assert.Equal(("broken", "Staging", false, JsonValueKind.Null),
            (target.GetProperty("name").GetString(), target.GetProperty("tier").GetString(), target.GetProperty("reachable").GetBoolean(), target.GetProperty("version").ValueKind));
        Assert.Contains("mongodb://***@127.0.0.1:1/bot_core_db", target.GetProperty("error").GetString());
        Assert.DoesNotContain(Secret, signedIn.Body);
        Assert.DoesNotContain("admin", signedIn.Body);
    }
}

/// <summary>A Hangfire log provider that writes nothing.</summary>
internal sealed class NoLogging : ILogProvider
{
    public ILog GetLogger(string name) => new Silent();

    private sealed class Silent : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
