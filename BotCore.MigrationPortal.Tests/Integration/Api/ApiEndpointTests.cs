using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BotCore.MigrationPortal.Api;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Integration.Api;

/// <summary>
/// The REST API over HTTP on the sandbox portal, with tokens made as the My tokens page makes them: the OpenAPI document, tokens
/// (shown once, hashed at rest, revoked, expired, capped by the owner's role now, never approving), the problems it answers, and a
/// pipeline that takes a run from creation to its end with nothing but HTTP (and a person's approval in between).
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class ApiEndpointTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body, Token);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_operation_and_the_bearer_token()
    {
        var token = await portal.TokenAsync("victor", Role.Viewer);
        using var client = portal.WithToken(token.Secret);

        var response = await client.GetAsync(ApiServices.DocumentPath, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await JsonAsync(response);
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString());
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}")).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "GET /api/v1/targets", "GET /api/v1/targets/{name}", "POST /api/v1/targets/{name}/checks/pre", "POST /api/v1/targets/{name}/checks/post",
            "GET /api/v1/migrations", "GET /api/v1/migrations/{version}",
            "GET /api/v1/runs", "POST /api/v1/runs", "GET /api/v1/runs/{id}", "GET /api/v1/runs/{id}/events", "POST /api/v1/runs/{id}/start",
            "POST /api/v1/runs/{id}/cancel", "POST /api/v1/runs/{id}/request-approval", "POST /api/v1/runs/{id}/checklist/{itemId}",
            "GET /api/v1/backups", "POST /api/v1/backups", "POST /api/v1/backups/{id}/verify",
            "GET /api/v1/fixes", "POST /api/v1/fixes/{id}/runs",
        }, operations);
        Assert.DoesNotContain(operations, op => op.Contains("approve", StringComparison.OrdinalIgnoreCase) && !op.Contains("approval", StringComparison.Ordinal));
        Assert.DoesNotContain(operations, op => op.Contains("/auth/", StringComparison.Ordinal));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_reference_page_lists_the_operations_of_the_document_by_tag()
    {
        var provider = portal.Services.GetRequiredKeyedService<Microsoft.AspNetCore.OpenApi.IOpenApiDocumentProvider>(ApiServices.DocumentName);

        var operations = ApiOperations.From(await provider.GetOpenApiDocumentAsync(Token));

        Assert.Equal(["Backups", "Checks", "Fixes", "Migrations", "Runs", "Targets"], operations.Select(o => o.Tag).Distinct());
        var start = Assert.Single(operations, o => o.Id == "StartRun");
        Assert.Equal(("POST", "/api/v1/runs/{id}/start"), (start.Method, start.Path));
        Assert.StartsWith("Starts an approved run", start.Summary);
    }

    [Fact]
    public async Task Without_a_token_or_a_cookie_the_API_answers_401_with_a_bearer_challenge_not_the_sign_in_page()
    {
        using var anonymous = portal.NewClient();

        var response = await anonymous.GetAsync("/api/v1/targets", Token);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"BotCore Migration Portal\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Authorization: Bearer bcp_", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(ApiServices.DocumentPath, Token)).StatusCode);
    }

    [Fact]
    public async Task A_token_is_shown_once_kept_only_as_its_hash_and_its_uses_are_recorded_at_most_once_a_minute()
    {
        var created = await portal.TokenAsync("olga", Role.Operator, "hash test");
        using var client = portal.WithToken(created.Secret);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/targets", Token)).StatusCode);

        Assert.Matches("^bcp_[A-Za-z0-9_-]{43}$", created.Secret);
        var stored = await portal.TokenStore.FindAsync(created.Token.Id, Token);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(created.Secret))), stored!.Hash);
        Assert.DoesNotContain(created.Secret[4..], JsonSerializer.Serialize(stored));
        Assert.NotNull(stored.LastUsedAt);
        var uses = portal.Audit.Records.Where(r => r.Action == AuditActions.ApiTokenUsed && r.Details.Contains(created.Token.Id, StringComparison.Ordinal)).ToList();
        Assert.Equal(("olga", "Operator"), (Assert.Single(uses).User, uses[0].Role));
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ApiTokenCreated && r.Details.Contains(created.Token.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_token_gets_401_with_invalid_token_and_the_reason()
    {
        var created = await portal.TokenAsync("olga", Role.Operator, "revoked");
        using var client = portal.WithToken(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs", Token)).StatusCode);

        await portal.Services.GetRequiredService<ApiTokens>().RevokeAsync(new UserCaller("olga"), created.Token.Id, Token);
        var response = await client.GetAsync("/api/v1/runs", Token);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.StartsWith("Token 'revoked' was revoked by olga at", problem.GetProperty("detail").GetString());
        Assert.Contains(portal.Audit.Records, r => r.Action == AuditActions.ApiTokenRefused && r.Details.Contains(created.Token.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_token_or_an_unknown_one_gets_401()
    {
        var secret = ApiTokenSecret.New();
        await portal.TokenStore.InsertAsync(new ApiToken
        {
            Id = ApiTokenSecret.NewId(), Owner = "olga", Name = "old", Role = Role.Operator, Hash = ApiTokenSecret.HashOf(secret),
            CreatedAt = DateTime.UtcNow.AddDays(-31), ExpiresAt = DateTime.UtcNow.AddMinutes(-1),
        }, Token);
        using var expired = portal.WithToken(secret);
        using var unknown = portal.WithToken(ApiTokenSecret.New());
        using var malformed = portal.WithToken("not-a-token");

        Assert.Contains("expired at", (await ProblemAsync(await expired.GetAsync("/api/v1/targets", Token), HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        Assert.Contains("not known", (await ProblemAsync(await unknown.GetAsync("/api/v1/targets", Token), HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        Assert.Contains("not a portal API token", (await ProblemAsync(await malformed.GetAsync("/api/v1/targets", Token), HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_acts_with_its_owners_role_now_so_lowering_the_owner_after_creating_it_refuses_what_it_did_before()
    {
        var created = await portal.TokenAsync("olga", Role.Operator, "capped");
        using var client = portal.WithToken(created.Secret);
        try
        {
            await portal.ChangeUserAsync("olga", u => u with { Role = Role.Viewer });

            var response = await PostAsync(client, "/api/v1/runs", new { target = "legacy", to = "1.3.0" });

            var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal("olga (Viewer) may not create runs: it needs the Operator role.", problem.GetProperty("detail").GetString());
            Assert.Contains(portal.Audit.Records, r => r is { User: "olga", Role: "Viewer", Action: AuditActions.ActionRefused } && r.Details.StartsWith("tried to create a run on legacy", StringComparison.Ordinal));

            await portal.ChangeUserAsync("olga", u => u with { Role = Role.Operator, Disabled = true });
            Assert.Contains("is disabled", (await ProblemAsync(await client.GetAsync("/api/v1/runs", Token), HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        }
        finally
        {
            await portal.ChangeUserAsync("olga", u => u with { Role = Role.Operator, Disabled = false });
        }
    }

    [Fact]
    public async Task A_token_with_a_lower_role_than_its_owner_acts_with_the_tokens_role()
    {
        var created = await portal.TokenAsync("ada", Role.Viewer, "read only");
        using var client = portal.WithToken(created.Secret);

        var problem = await ProblemAsync(await PostAsync(client, "/api/v1/runs", new { target = "legacy", to = "1.3.0" }), HttpStatusCode.Forbidden);

        Assert.Equal("ada (Viewer) may not create runs: it needs the Operator role.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_token_can_never_approve_a_run_even_an_Approvers()
    {
        var olga = await portal.TokenAsync("olga", Role.Operator, "olga's pipeline");
        using var pipeline = portal.WithToken(olga.Secret);
        var run = await ReadyForApprovalAsync(pipeline, "staging");
        var requested = await JsonAsync(await PostAsync(pipeline, $"/api/v1/runs/{run}/request-approval", new { revision = await RevisionAsync(pipeline, run) }));
        Assert.Equal("AwaitingApproval", requested.GetProperty("state").GetString());
        var bob = await portal.TokenAsync("bob", Role.Approver, "bob's script");
        var runs = portal.Services.GetRequiredService<RunService>();

        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            runs.ApproveAsync(new TokenCaller("bob", bob.Token.Id), run, requested.GetProperty("revision").GetInt64(), andRun: true, Token));

        Assert.Equal($"bob may not approve run {run} with the API token 'bob's script': approval stays a person's act, on the run's page in the portal (four eyes).",
            refusal.Message);
        Assert.Equal(RunState.AwaitingApproval, (await runs.GetAsync(run, Token)).State);
        Assert.Contains(portal.Audit.Records, r => r is { User: "bob", Action: AuditActions.ActionRefused } && r.Details.StartsWith($"tried to approve and run run {run}", StringComparison.Ordinal));
        await PostAsync(pipeline, $"/api/v1/runs/{run}/cancel", new { revision = await RevisionAsync(pipeline, run) });
    }

    [Fact]
    public async Task A_pipeline_creates_a_run_waits_for_approval_starts_it_and_follows_its_events_to_the_end()
    {
        var token = await portal.TokenAsync("olga", Role.Operator, "deploy");
        using var pipeline = portal.WithToken(token.Secret);
        var run = await ReadyForApprovalAsync(pipeline, "dev");
        var requested = await JsonAsync(await PostAsync(pipeline, $"/api/v1/runs/{run}/request-approval", new { revision = await RevisionAsync(pipeline, run) }));
        Assert.Equal("AwaitingApproval", requested.GetProperty("state").GetString());

        // Bob approves on the run's page: a person, in the browser.
        await portal.Services.GetRequiredService<RunService>().ApproveAsync(new UserCaller("bob"), run, requested.GetProperty("revision").GetInt64(), andRun: false, Token);
        var approved = await WaitForAsync(pipeline, run, r => r.GetProperty("state").GetString() == "Approved");
        Assert.Equal("bob", approved.GetProperty("approval").GetProperty("by").GetString());

        var started = await PostAsync(pipeline, $"/api/v1/runs/{run}/start", new { revision = approved.GetProperty("revision").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal("Queued", (await JsonAsync(started)).GetProperty("state").GetString());

        long after = 0;
        var kinds = new List<string>();
        JsonElement page;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        do
        {
            page = await JsonAsync(await pipeline.GetAsync($"/api/v1/runs/{run}/events?after={after}&wait=5", Token));
            kinds.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!));
            Assert.All(page.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("sequence").GetInt64() > after));
            after = page.GetProperty("last").GetInt64();
        }
        while (!page.GetProperty("ended").GetBoolean() && DateTime.UtcNow < deadline);

        Assert.Equal("Succeeded", page.GetProperty("state").GetString());
        Assert.Contains("RunStarted", kinds);
        Assert.Contains("RunFinished", kinds);
        Assert.Empty((await JsonAsync(await pipeline.GetAsync($"/api/v1/runs/{run}/events?after={after}", Token))).GetProperty("events").EnumerateArray());
        Assert.Equal("1.3.0", (await JsonAsync(await pipeline.GetAsync("/api/v1/targets/dev", Token))).GetProperty("version").GetString());
        Assert.Contains(portal.Audit.Records, r => r is { User: "olga", Action: AuditActions.RunQueued, Role: "Operator" } && r.RunId == run);
    }

    [Fact]
    public async Task Errors_are_problem_details_naming_the_field_the_missing_thing_or_the_conflict()
    {
        var token = await portal.TokenAsync("olga", Role.Operator, "problems");
        using var client = portal.WithToken(token.Secret);

        var missing = await ProblemAsync(await PostAsync(client, "/api/v1/runs", new { target = "production" }), HttpStatusCode.BadRequest);
        Assert.Equal("'to' is required.", missing.GetProperty("errors").GetProperty("to")[0].GetString());
        var badVersion = await ProblemAsync(await PostAsync(client, "/api/v1/runs", new { target = "production", to = "one" }), HttpStatusCode.BadRequest);
        Assert.Contains("'to' must be a version such as 1.3.0", badVersion.GetProperty("errors").GetProperty("to")[0].GetString());
        var notJson = await client.PostAsync("/api/v1/runs", new StringContent("{not json", Encoding.UTF8, "application/json"), Token);
        await ProblemAsync(notJson, HttpStatusCode.BadRequest);
        var noRun = await ProblemAsync(await client.GetAsync("/api/v1/runs/run-nope", Token), HttpStatusCode.NotFound);
        Assert.Equal("There is no run run-nope.", noRun.GetProperty("detail").GetString());
        await ProblemAsync(await client.GetAsync("/api/v1/targets/nowhere", Token), HttpStatusCode.NotFound);
        await ProblemAsync(await client.GetAsync("/api/v1/migrations/9.9.9", Token), HttpStatusCode.NotFound);

        var created = await PostAsync(client, "/api/v1/runs", new { target = "production", to = "1.0.0" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await JsonAsync(created);
        var id = run.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/runs/{id}", created.Headers.Location?.OriginalString);
        var stale = await ProblemAsync(await PostAsync(client, $"/api/v1/runs/{id}/cancel", new { revision = run.GetProperty("revision").GetInt64() - 1 }), HttpStatusCode.Conflict);
        Assert.StartsWith($"Run {id} changed since your page showed it", stale.GetProperty("detail").GetString());
        var second = await ProblemAsync(await PostAsync(client, "/api/v1/runs", new { target = "production", to = "1.0.0" }), HttpStatusCode.Conflict);
        Assert.Contains("already has an open run", second.GetProperty("detail").GetString());
        var notApproved = await ProblemAsync(await PostAsync(client, $"/api/v1/runs/{id}/start", new { revision = run.GetProperty("revision").GetInt64() }), HttpStatusCode.Forbidden);
        Assert.Equal("Refused", notApproved.GetProperty("title").GetString());
        var noRevision = await ProblemAsync(await PostAsync(client, $"/api/v1/runs/{id}/cancel", new { }), HttpStatusCode.BadRequest);
        Assert.True(noRevision.GetProperty("errors").TryGetProperty("revision", out _));

        Assert.Equal("Cancelled", (await JsonAsync(await PostAsync(client, $"/api/v1/runs/{id}/cancel", new { revision = run.GetProperty("revision").GetInt64() }))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_before_it_is_read()
    {
        var token = await portal.TokenAsync("olga", Role.Operator, "big");
        using var client = portal.WithToken(token.Secret);

        var response = await client.PostAsync("/api/v1/runs", new StringContent($"{{\"target\":\"{new string('x', 20_000)}\"}}", Encoding.UTF8, "application/json"), Token);

        Assert.Contains("at most 16,384", (await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task With_the_cookie_reading_works_and_a_change_needs_the_API_header()
    {
        using var olga = await portal.SignedInAsync("olga");

        Assert.Equal(HttpStatusCode.OK, (await olga.GetAsync("/api/v1/targets", Token)).StatusCode);
        var refused = await ProblemAsync(await PostAsync(olga, "/api/v1/runs", new { target = "legacy", to = "1.3.0" }), HttpStatusCode.Forbidden);
        Assert.Contains(ApiRequestGuard.CookieHeader, refused.GetProperty("detail").GetString());

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/backups") { Content = JsonContent.Create(new { target = "legacy" }) };
        request.Headers.Add(ApiRequestGuard.CookieHeader, "1");
        var accepted = await olga.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.StartsWith("backup-", (await JsonAsync(accepted)).GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task Targets_migrations_backups_and_checks_answer_as_the_pages_show_them()
    {
        var token = await portal.TokenAsync("victor", Role.Viewer, "reader");
        using var client = portal.WithToken(token.Secret);

        var targets = await JsonAsync(await client.GetAsync("/api/v1/targets", Token));
        Assert.Equal(["dev", "legacy", "production", "staging"], targets.EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
        var legacy = await JsonAsync(await client.GetAsync("/api/v1/targets/legacy", Token));
        Assert.Equal("Production", legacy.GetProperty("tier").GetString());
        var migrations = await JsonAsync(await client.GetAsync("/api/v1/migrations", Token));
        Assert.Equal("1.0.0", migrations[0].GetProperty("version").GetString());
        Assert.Equal(64, (await JsonAsync(await client.GetAsync("/api/v1/migrations/1.3.0", Token))).GetProperty("checksum").GetString()!.Length);
        Assert.Equal(JsonValueKind.Array, (await JsonAsync(await client.GetAsync("/api/v1/backups", Token))).ValueKind);

        var pre = await JsonAsync(await PostAsync(client, "/api/v1/targets/staging/checks/pre?to=1.3.0", new { }));
        Assert.Equal("1.3.0", pre.GetProperty("to").GetString());
        Assert.NotEmpty(pre.GetProperty("results").EnumerateArray());
        Assert.Contains(portal.Audit.Records, r => r is { User: "victor", Action: AuditActions.ChecksRun, Target: "staging" });
        // As the checks page and 'check pre|post': a database migrated outside the portal is adopted before its checks run.
        var unadopted = await ProblemAsync(await PostAsync(client, "/api/v1/targets/legacy/checks/post", new { }), HttpStatusCode.Conflict);
        Assert.StartsWith("Target legacy is not adopted: its database was migrated outside the portal", unadopted.GetProperty("detail").GetString());
        Assert.DoesNotContain(portal.Audit.Records, r => r is { Action: AuditActions.ChecksRun, Target: "legacy" });
        var backup = await ProblemAsync(await PostAsync(client, "/api/v1/backups", new { target = "staging" }), HttpStatusCode.Forbidden);
        Assert.Equal("victor (Viewer) may not back up targets: it needs the Operator role.", backup.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_pipeline_lists_the_data_fixes_and_prepares_a_fix_run_that_never_moves_the_version_and_a_Viewer_may_not()
    {
        const string tradesFix = "2026-12-02-trades-missing-status";
        using var pipeline = portal.WithToken((await portal.TokenAsync("olga", Role.Operator, "fixes")).Secret);
        using var reader = portal.WithToken((await portal.TokenAsync("victor", Role.Viewer, "fixes")).Secret);

        var fix = Assert.Single((await JsonAsync(await pipeline.GetAsync("/api/v1/fixes", Token))).EnumerateArray(), f => f.GetProperty("id").GetString() == tradesFix);
        Assert.Equal(64, fix.GetProperty("checksum").GetString()!.Length);
        Assert.Equal("trades", fix.GetProperty("collection").GetString());
        await ProblemAsync(await PostAsync(reader, $"/api/v1/fixes/{tradesFix}/runs", new { target = "dev" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await PostAsync(pipeline, "/api/v1/fixes/2020-01-01-none/runs", new { target = "dev" }), HttpStatusCode.BadRequest);

        var created = await PostAsync(pipeline, $"/api/v1/fixes/{tradesFix}/runs", new { target = "dev" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await JsonAsync(created);
        Assert.Equal("Fix", run.GetProperty("kind").GetString());
        Assert.Equal(run.GetProperty("from").GetString(), run.GetProperty("to").GetString());
        Assert.Equal(tradesFix, run.GetProperty("fix").GetProperty("id").GetString());
        Assert.Contains(run.GetProperty("checklist").EnumerateArray(), item => item.GetProperty("id").GetString() == "fix.documents");
        // dev is free again for the other tests of this portal.
        var id = run.GetProperty("id").GetString()!;
        Assert.Equal("Cancelled", (await JsonAsync(await PostAsync(pipeline, $"/api/v1/runs/{id}/cancel", new { revision = run.GetProperty("revision").GetInt64() })))
            .GetProperty("state").GetString());
    }

    /// <summary>Creates a run on <paramref name="target"/> to 1.3.0 and gets it ready for approval with nothing but the API, as a pipeline would.</summary>
    /// <returns>The run's id.</returns>
    private async Task<string> ReadyForApprovalAsync(HttpClient pipeline, string target)
    {
        var created = await PostAsync(pipeline, "/api/v1/runs", new { target, to = "1.3.0" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await JsonAsync(created);
        var id = run.GetProperty("id").GetString()!;
        foreach (var item in run.GetProperty("checklist").EnumerateArray()
                     .Where(i => i.GetProperty("kind").GetString() == "Manual" && i.GetProperty("phase").GetString() == "BeforeApproval" && i.GetProperty("required").GetBoolean()))
        {
            var ticked = await PostAsync(pipeline, $"/api/v1/runs/{id}/checklist/{item.GetProperty("id").GetString()}",
                new { revision = await RevisionAsync(pipeline, id), comment = "done by the pipeline" });
            Assert.Equal(HttpStatusCode.OK, ticked.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(pipeline, $"/api/v1/runs/{id}/backup", new { revision = await RevisionAsync(pipeline, id) })).StatusCode);
        await WaitForAsync(pipeline, id, r => r.GetProperty("checklist").EnumerateArray().Any(i => i.GetProperty("id").GetString() == "exec.backup-verified" && i.GetProperty("status").GetString() == "Passed"));
        return id;
    }

    private static async Task<long> RevisionAsync(HttpClient client, string run) =>
        (await JsonAsync(await client.GetAsync($"/api/v1/runs/{run}", Token))).GetProperty("revision").GetInt64();

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string run, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var current = await JsonAsync(await client.GetAsync($"/api/v1/runs/{run}", Token));
            if (condition(current)) return current;
            Assert.True(DateTime.UtcNow < deadline, $"Run {run} did not get there: {current}");
            await Task.Delay(100, Token);
        }
    }
}
