using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Integration.Api;

/// <summary>The data fixes over the REST API on the sandbox portal: listed with their checksums, and a fix run prepared as "Prepare fix run" does.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class FixApiTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    private const string TradesFix = "2026-12-02-trades-missing-status";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

    [Fact]
    public async Task A_pipeline_lists_the_fixes_and_prepares_a_fix_run_that_never_moves_the_version_and_a_Viewer_may_not()
    {
        using var operatorClient = portal.WithToken((await portal.TokenAsync("olga", Role.Operator, "fixes")).Secret);
        using var viewerClient = portal.WithToken((await portal.TokenAsync("victor", Role.Viewer, "fixes")).Secret);

        var fixes = await JsonAsync(await operatorClient.GetAsync("/api/v1/fixes", Token));
        var fix = Assert.Single(fixes.EnumerateArray(), f => f.GetProperty("id").GetString() == TradesFix);
        Assert.Equal(64, fix.GetProperty("checksum").GetString()!.Length);
        Assert.Equal("trades", fix.GetProperty("collection").GetString());

        var refused = await viewerClient.PostAsJsonAsync($"/api/v1/fixes/{TradesFix}/runs", new { target = "dev" }, Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var unknown = await operatorClient.PostAsJsonAsync("/api/v1/fixes/2020-01-01-none/runs", new { target = "dev" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var created = await operatorClient.PostAsJsonAsync($"/api/v1/fixes/{TradesFix}/runs", new { target = "dev" }, Token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await JsonAsync(created);
        Assert.Equal("Fix", run.GetProperty("kind").GetString());
        Assert.Equal(run.GetProperty("from").GetString(), run.GetProperty("to").GetString());
        Assert.Equal(TradesFix, run.GetProperty("fix").GetProperty("id").GetString());
        Assert.Contains(run.GetProperty("checklist").EnumerateArray(), item => item.GetProperty("id").GetString() == "fix.documents");
    }
}
