using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Tests.Unit.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotCore.MigrationPortal.Tests.Integration.Audit;

/// <summary>GET /audit/export.csv as the portal maps it, on an in-memory server with a stand-in sign-in.</summary>
public sealed class AuditExportEndpointTests : IAsyncLifetime
{
    private const string UserHeader = "X-Test-User";
    private WebApplication app = default!;
    private HttpClient client = default!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // The portal's own composition, with a stand-in sign-in in place of the cookie and the test people as users.
        builder.Services.AddPortalFeatures(TestPortal.Configuration(), TestPortal.Environment, new PortalMode(IsSandbox: true));
        builder.Services.Replace(ServiceDescriptor.Singleton<BotCore.MigrationPortal.Security.IUserStore>(_ => TestPeople.NewStore()));
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuditEndpoints();
        await app.StartAsync(Token);
        client = app.GetTestClient();

        var store = app.Services.GetRequiredService<IAuditStore>();
        foreach (var entry in AuditTestData.Chain(9)) await store.TryAppendAsync(entry, Token);
        await app.Services.GetRequiredService<IAuditLog>().RecordAsync(
            new AuditRecord("mallory", "Operator", AuditActions.ChecklistTicked, "staging", null, "=HYPERLINK(\"http://evil\"),\nsecond line"), Token);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private Task<HttpResponseMessage> Get(string address, string? user = "alice")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (user is not null) request.Headers.Add(UserHeader, user);
        return client.SendAsync(request, Token);
    }

    [Fact]
    public async Task Nobody_signed_in_gets_no_entries()
    {
        var response = await Get("/audit/export.csv", user: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_user_downloads_every_entry_newest_first_as_a_csv_file()
    {
        var response = await Get("/audit/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.StartsWith("audit-log-", response.Content.Headers.ContentDisposition!.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Token);
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        // The export is itself the newest entry: who took a copy of the log, and of which entries.
        Assert.StartsWith("sequence,time,user,role,action,target,runId,details,previousHash,hash\r\n11,", csv);
        Assert.Contains(",alice,Approver,audit-exported,,,exported every entry as CSV,", csv);
        Assert.Contains(",mallory,Operator,checklist-ticked,staging,,\"'=HYPERLINK(\"\"http://evil\"\"),\nsecond line\",", csv);
        Assert.EndsWith($",entry 0,{AuditHash.Genesis},{AuditTestData.Chain(1).Single().Hash}\r\n", csv);
    }

    [Fact]
    public async Task The_filters_of_the_page_select_the_same_entries()
    {
        var csv = await (await Get("/audit/export.csv?user=bob&target=production&from=2026-11-24&to=2026-11-24")).Content.ReadAsStringAsync(Token);

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["header", "8", "2"], lines.Select(line => line.StartsWith("sequence,", StringComparison.Ordinal) ? "header" : line.Split(',')[0]));
    }

    [Fact]
    public async Task An_unreadable_date_is_a_bad_request()
    {
        var response = await Get("/audit/export.csv?from=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Signs in whoever the request header names: the portal's real sign-in is not what these tests are about.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "test-header";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers[UserHeader].ToString() is { Length: > 0 } name
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName)), SchemeName))
                : AuthenticateResult.NoResult());
    }
}
