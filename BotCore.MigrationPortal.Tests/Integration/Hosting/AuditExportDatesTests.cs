using System.Net;
using System.Text.Json;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>/audit/export.csv of the sandbox portal with dates at the edge of the calendar or past it.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class AuditExportDatesTests(InProcessPortal portal) : IClassFixture<InProcessPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("?to=9999-12-31")]
    [InlineData("?from=9999-12-31&to=9999-12-31")]
    [InlineData("?from=0001-01-01")]
    public async Task A_date_at_the_end_of_the_calendar_exports(string query)
    {
        using var client = await portal.SignedInAsync("olga");

        var response = await client.GetAsync("/audit/export.csv" + query, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("sequence,time,user", (await response.Content.ReadAsStringAsync(Token)).TrimStart('\uFEFF'));
    }

    [Theory]
    [InlineData("?to=10000-01-01", "'to' is not a date: write it as yyyy-MM-dd, e.g. 2026-11-24.")]
    [InlineData("?from=yesterday", "'from' is not a date: write it as yyyy-MM-dd, e.g. 2026-11-24.")]
    [InlineData("?from=2026-12-01&to=2026-11-01", "The From date (2026-12-01) is after the To date (2026-11-01), so no entry can match: change one of them.")]
    public async Task A_date_it_cannot_use_is_a_bad_request_that_says_why(string query, string detail)
    {
        using var client = await portal.SignedInAsync("olga");

        var response = await client.GetAsync("/audit/export.csv" + query, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("The audit log cannot be exported with these dates.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
    }
}
