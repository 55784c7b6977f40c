using BotCore.MigrationPortal.Runs;
using Microsoft.AspNetCore.Http;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>Which posts to the Hangfire dashboard act (and are audited), and how an audit line names what a post named.</summary>
public sealed class JobDashboardAuditTests
{
    private static HttpContext Post(string path, int status = StatusCodes.Status204NoContent)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = path;
        context.Response.StatusCode = status;
        return context;
    }

    [Theory]
    [InlineData("/hangfire/jobs/failed/requeue")]
    [InlineData("/hangfire/jobs/enqueued/delete")]
    [InlineData("/hangfire/jobs/scheduled/enqueue")]
    [InlineData("/hangfire/jobs/actions/delete/42")]
    [InlineData("/hangfire/jobs/actions/requeue/42")]
    [InlineData("/hangfire/recurring/trigger")]
    [InlineData("/hangfire/recurring/remove")]
    public void A_command_that_changes_jobs_is_audited(string path) => Assert.True(JobDashboardAudit.Acted(Post(path)));

    [Theory]
    [InlineData("/hangfire/stats")]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/jobs/failed")]
    [InlineData("/hangfire/jobs/details/42")]
    [InlineData("/hangfire/servers")]
    public void A_post_that_only_reads_is_not(string path) => Assert.False(JobDashboardAudit.Acted(Post(path)));

    [Fact]
    public void A_refused_command_or_a_read_is_not_audited()
    {
        Assert.False(JobDashboardAudit.Acted(Post("/hangfire/jobs/failed/requeue", StatusCodes.Status403Forbidden)));
        var read = Post("/hangfire/jobs/failed/requeue");
        read.Request.Method = HttpMethods.Get;
        Assert.False(JobDashboardAudit.Acted(read));
    }

    [Fact]
    public void A_path_with_other_characters_or_of_any_length_is_cut_and_reduced_to_id_characters()
    {
        var line = JobDashboardAudit.Describe("/hangfire/jobs/actions/delete/1\u001b[31m" + new string('x', 500), []);

        Assert.StartsWith("/hangfire/jobs/actions/delete/1__31m", line);
        Assert.EndsWith("… in the job dashboard", line);
        Assert.True(line.Length < 200, line);
    }
}
