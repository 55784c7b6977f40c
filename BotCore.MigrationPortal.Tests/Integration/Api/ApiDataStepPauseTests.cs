using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Integration.Api;

/// <summary>The API portal whose dev target holds 150,000 simulated users, walked at 50,000 a second: a data step that runs for 3 s.</summary>
public sealed class DataStepApiPortal : ApiPortal
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Sandbox:Targets:dev:Documents:users"] = "150000",
        ["Sandbox:DocumentsPerSecond"] = "50000",
        ["Migrations:Batching:PauseMilliseconds"] = "0",
    };
}

/// <summary>
/// Pause and Resume of a running data step through the REST API, with the job run by the portal's own Hangfire server: the run says where
/// its step stopped, a stale revision is a 409, a Viewer's token a 403, and the run goes on to Succeeded once resumed.
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class ApiDataStepPauseTests(DataStepApiPortal portal) : IClassFixture<DataStepApiPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body, Token);

    [Fact]
    public async Task A_pipeline_pauses_a_running_data_step_reads_where_it_stopped_and_resumes_it_to_the_end()
    {
        var olga = await portal.TokenAsync("olga", Role.Operator, "pause");
        using var pipeline = portal.WithToken(olga.Secret);
        var victor = await portal.TokenAsync("victor", Role.Viewer, "watch");
        using var viewer = portal.WithToken(victor.Secret);
        var id = await RunningDataStepAsync(pipeline);
        var running = await GetAsync(pipeline, id);

        var refused = await PostAsync(viewer, $"/api/v1/runs/{id}/pause", new { revision = running.GetProperty("revision").GetInt64() });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("victor (Viewer) may not pause runs: it needs the Operator role.", (await JsonAsync(refused)).GetProperty("detail").GetString());
        var asked = await PostAsync(pipeline, $"/api/v1/runs/{id}/pause", new { revision = running.GetProperty("revision").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.False((await JsonAsync(asked)).GetProperty("pause").GetProperty("reached").GetBoolean());
        var stale = await PostAsync(pipeline, $"/api/v1/runs/{id}/pause", new { revision = running.GetProperty("revision").GetInt64() });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var paused = await WaitForAsync(pipeline, id, r => r.GetProperty("pause") is { ValueKind: JsonValueKind.Object } p && p.GetProperty("reached").GetBoolean());
        var pause = paused.GetProperty("pause");
        Assert.Equal("Running", paused.GetProperty("state").GetString());
        Assert.Equal("olga", pause.GetProperty("by").GetString());
        Assert.Equal(150_000, pause.GetProperty("total").GetInt64());
        Assert.True(pause.GetProperty("simulated").GetBoolean());
        Assert.StartsWith($"Paused at {pause.GetProperty("processed").GetInt64():N0}/150,000 documents (simulated) by olga", pause.GetProperty("summary").GetString());

        var resumed = await PostAsync(pipeline, $"/api/v1/runs/{id}/resume", new { revision = paused.GetProperty("revision").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(resumed)).GetProperty("pause").ValueKind);
        var ended = await WaitForAsync(pipeline, id, r => r.GetProperty("ended").GetBoolean());
        Assert.Equal("Succeeded", ended.GetProperty("state").GetString());
        Assert.Contains(portal.Audit.Records, r => r is { User: "olga", Action: AuditActions.RunPaused } && r.RunId == id);
        Assert.Contains(portal.Audit.Records, r => r is { User: "olga", Action: AuditActions.RunResumed } && r.RunId == id);
    }

    /// <summary>Creates a run of dev to 1.1.0 with the API, has Bob approve it in the portal, starts it, and waits until its data step reports batches.</summary>
    private async Task<string> RunningDataStepAsync(HttpClient pipeline)
    {
        var created = await JsonAsync(await PostAsync(pipeline, "/api/v1/runs", new { target = "dev", to = "1.1.0" }));
        var id = created.GetProperty("id").GetString()!;
        foreach (var item in created.GetProperty("checklist").EnumerateArray()
                     .Where(i => i.GetProperty("kind").GetString() == "Manual" && i.GetProperty("phase").GetString() == "BeforeApproval" && i.GetProperty("required").GetBoolean()))
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(pipeline, $"/api/v1/runs/{id}/checklist/{item.GetProperty("id").GetString()}",
                new { revision = await RevisionAsync(pipeline, id), comment = "done by the pipeline" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(pipeline, $"/api/v1/runs/{id}/backup", new { revision = await RevisionAsync(pipeline, id) })).StatusCode);
        await WaitForAsync(pipeline, id, r => r.GetProperty("checklist").EnumerateArray()
            .Any(i => i.GetProperty("id").GetString() == "exec.backup-verified" && i.GetProperty("status").GetString() == "Passed"));
        var requested = await JsonAsync(await PostAsync(pipeline, $"/api/v1/runs/{id}/request-approval", new { revision = await RevisionAsync(pipeline, id) }));
        await portal.Services.GetRequiredService<RunService>().ApproveAsync(new UserCaller("bob"), id, requested.GetProperty("revision").GetInt64(), andRun: true, Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var events = await JsonAsync(await pipeline.GetAsync($"/api/v1/runs/{id}/events?after=0", Token));
            if (events.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "BatchProgress" && e.GetProperty("message").GetString()!.EndsWith("(simulated)", StringComparison.Ordinal)))
            {
                return id;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Run {id} reported no batch");
            await Task.Delay(50, Token);
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string run) => await JsonAsync(await client.GetAsync($"/api/v1/runs/{run}", Token));

    private static async Task<long> RevisionAsync(HttpClient client, string run) => (await GetAsync(client, run)).GetProperty("revision").GetInt64();

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string run, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var current = await GetAsync(client, run);
            if (condition(current)) return current;
            Assert.True(DateTime.UtcNow < deadline, $"Run {run} did not get there: {current}");
            await Task.Delay(100, Token);
        }
    }
}
