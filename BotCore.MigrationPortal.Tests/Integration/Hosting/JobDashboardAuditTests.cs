using System.Net;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>
/// What an Admin does in the Hangfire dashboard is audited; what the dashboard itself asks every few seconds (its statistics)
/// is not, and what a post names (job ids) reaches the audit log bounded and harmless.
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed partial class JobDashboardAuditTests(InProcessPortal portal) : IClassFixture<InProcessPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();

    /// <summary>Posts to the dashboard as its own script does, with the token its page carries.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> form)
    {
        var page = await client.GetStringAsync("/hangfire", Token);
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire" + path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(CsrfHeader().Match(page).Groups[1].Value, WebUtility.HtmlDecode(CsrfToken().Match(page).Groups[1].Value));
        return await client.SendAsync(request, Token);
    }

    private IEnumerable<AuditRecord> DashboardEntries => portal.Audit.Records.Where(r => r.Action == AuditActions.JobDashboardAction);

    [Fact]
    public async Task The_statistics_the_dashboard_polls_are_not_audited()
    {
        using var ada = await portal.SignedInAsync("ada");

        for (var i = 0; i < 3; i++)
        {
            var response = await PostAsync(ada, "/stats", [new("metrics[]", "enqueued:count"), new("metrics[]", "failed:count")]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.DoesNotContain(DashboardEntries, r => r.Details.Contains("/stats"));
    }

    [Fact]
    public async Task A_requeue_is_audited_with_the_job_ids_bounded_in_number_length_and_characters()
    {
        using var ada = await portal.SignedInAsync("ada");
        var ids = new[] { "17", "18\r\n[ERR] forged line", new string('9', 300) }.Concat(Enumerable.Range(100, 40).Select(i => i.ToString()));

        var response = await PostAsync(ada, "/jobs/failed/requeue", ids.Select(id => new KeyValuePair<string, string>("jobs[]", id)));

        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}");
        var entry = Assert.Single(DashboardEntries, r => r.Details.Contains("/jobs/failed/requeue"));
        Assert.Equal(("ada", "Admin"), (entry.User, entry.Role));
        Assert.StartsWith("/hangfire/jobs/failed/requeue (jobs 17, 18___ERR__forged_line, 999", entry.Details);
        Assert.DoesNotContain('\n', entry.Details);
        Assert.DoesNotContain(new string('9', 65), entry.Details);
        Assert.Contains("and 23 more", entry.Details);
        Assert.True(entry.Details.Length < 1000, entry.Details);
    }
}
