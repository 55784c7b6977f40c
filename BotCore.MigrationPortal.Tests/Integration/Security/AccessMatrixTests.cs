using System.Net;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Change;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Integration.Security;

/// <summary>
/// Every door of the portal (each page and endpoint over HTTP, each action of a service) tried by someone not signed in and by
/// each role, against one table of who may pass. A refused action is audited; a refused page sends to the sign-in page.
/// </summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class AccessMatrixTests(SandboxPortalFactory portal) : IClassFixture<SandboxPortalFactory>
{
    /// <summary>A way into the portal and the least role that passes it (null: anyone, signed in or not).</summary>
    internal abstract record Door(string Name, Role? Minimum);

    /// <summary>
    /// A page or endpoint, requested over HTTP; <paramref name="Allowed"/> is the status of someone who may, <paramref name="Unauthenticated"/>
    /// that of someone not signed in (pages send to the sign-in page; the Blazor hub answers 401 to its script).
    /// </summary>
    internal sealed record Route(string Path, Role? Minimum, HttpStatusCode Allowed = HttpStatusCode.OK, bool Post = false,
        HttpStatusCode Unauthenticated = HttpStatusCode.Redirect) : Door(Path, Minimum);

    /// <summary>An action of a service: <paramref name="Prepare"/> sets the scene on a fresh portal and returns the act itself.</summary>
    internal sealed record Act(string Name, Role? Minimum, Func<PortalHarness, Task<Func<Caller, Task>>> Prepare) : Door(Name, Minimum);

    private const string Anonymous = "anonymous";

    private static readonly IReadOnlyDictionary<string, TestPerson?> People = new Dictionary<string, TestPerson?>
    {
        [Anonymous] = null, ["victor"] = TestPeople.Victor, ["olga"] = TestPeople.Olga, ["alice"] = TestPeople.Alice, ["ada"] = TestPeople.Ada,
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A run on dev prepared by Olga and approved by Bob.</summary>
    private static async Task<MigrationRun> ApprovedOnDevAsync(PortalHarness p)
    {
        var run = await p.ReadyForApprovalAsync("dev", "1.0.0");
        run = await p.Runs.RequestApprovalAsync(TestPeople.Olga, run.Id, run.Revision, Token);
        return await p.Runs.ApproveAsync(TestPeople.Bob, run.Id, run.Revision, andRun: false, Token);
    }

    /// <summary>The table: every page, endpoint and action, and who may use it.</summary>
    private static IReadOnlyList<Door> Doors { get; } =
    [
        new Route("/health", null),
        new Route("/error", null),
        new Route("/", Role.Viewer),
        new Route("/runs", Role.Viewer),
        new Route("/runs/run-20261201-000000-abcd", Role.Viewer),
        new Route("/targets/dev", Role.Viewer),
        new Route("/migrations/1.0.0", Role.Viewer),
        new Route("/audit", Role.Viewer),
        new Route("/audit/export.csv", Role.Viewer),
        new Route("/runs/run-20261201-000000-abcd/mongosh/up.js", Role.Viewer, HttpStatusCode.NotFound),
        new Route("/backups", Role.Viewer),
        new Route("/backups/20261201-000000-dev-abcd/manifest.json", Role.Viewer, HttpStatusCode.NotFound),
        new Route("/checks", Role.Viewer),
        new Route("/_blazor/negotiate?negotiateVersion=1", Role.Viewer, Post: true, Unauthenticated: HttpStatusCode.Unauthorized),
        new Route("/runs/new", Role.Operator),
        new Route("/users", Role.Admin),
        new Route("/hangfire", Role.Admin),
        new Route("/tokens", Role.Viewer),
        new Route("/api-reference", Role.Viewer),
        // The API answers a pipeline, not a browser: 401 with a bearer challenge instead of the sign-in page.
        new Route("/api/v1/targets", Role.Viewer, Unauthenticated: HttpStatusCode.Unauthorized),
        new Route("/openapi/v1.json", Role.Viewer, Unauthenticated: HttpStatusCode.Unauthorized),

        new Act("create an API token", Role.Viewer, async p => caller =>
            p.Services.GetRequiredService<BotCore.MigrationPortal.Security.Tokens.ApiTokens>().CreateAsync(caller, "ci", Role.Viewer, 30, Token)),
        new Act("create a run", Role.Operator, async p => caller => p.Runs.CreateAsync(caller, "dev", SchemaVersion.Parse("1.0.0"), Token)),
        new Act("download a run's mongosh script", Role.Viewer, async p =>
        {
            var run = await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);
            return caller => p.Services.GetRequiredService<RunChangeService>().ExportAsync(caller, run.Id, Direction.Down, Token);
        }),
        new Act("tick a checklist item", Role.Operator, async p =>
        {
            var run = await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);
            return caller => p.Runs.TickAsync(caller, run.Id, ChecklistTemplate.LocalTest, null, run.Revision, Token);
        }),
        new Act("run pre-checks", Role.Operator, async p =>
        {
            var run = await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);
            return caller => p.Runs.RunPreChecksAsync(caller, run.Id, run.Revision, Token);
        }),
        new Act("back up for a run", Role.Operator, async p =>
        {
            var run = await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);
            return caller => p.Runs.BackUpAsync(caller, run.Id, run.Revision, Token);
        }),
        new Act("request approval", Role.Operator, async p =>
        {
            var run = await p.ReadyForApprovalAsync("dev", "1.0.0");
            return caller => p.Runs.RequestApprovalAsync(caller, run.Id, run.Revision, Token);
        }),
        new Act("approve", Role.Approver, async p =>
        {
            var run = await p.ReadyForApprovalAsync("dev", "1.0.0");
            run = await p.Runs.RequestApprovalAsync(TestPeople.Olga, run.Id, run.Revision, Token);
            return caller => p.Runs.ApproveAsync(caller, run.Id, run.Revision, andRun: false, Token);
        }),
        new Act("approve and run", Role.Approver, async p =>
        {
            var run = await p.ReadyForApprovalAsync("dev", "1.0.0");
            run = await p.Runs.RequestApprovalAsync(TestPeople.Olga, run.Id, run.Revision, Token);
            return caller => p.Runs.ApproveAsync(caller, run.Id, run.Revision, andRun: true, Token);
        }),
        new Act("start an approved run", Role.Operator, async p =>
        {
            var run = await p.ReadyForApprovalAsync("dev", "1.0.0");
            run = await p.Runs.RequestApprovalAsync(TestPeople.Olga, run.Id, run.Revision, Token);
            run = await p.Runs.ApproveAsync(TestPeople.Bob, run.Id, run.Revision, andRun: false, Token);
            return caller => p.Runs.StartAsync(caller, run.Id, run.Revision, Token);
        }),
        new Act("schedule an approved run", Role.Operator, async p =>
        {
            var run = await ApprovedOnDevAsync(p);
            return caller => p.Runs.ScheduleAsync(caller, run.Id, DateTime.UtcNow.AddHours(2), null, run.Revision, Token);
        }),
        new Act("reschedule a run", Role.Operator, async p =>
        {
            var run = await ApprovedOnDevAsync(p);
            run = await p.Runs.ScheduleAsync(TestPeople.Olga, run.Id, DateTime.UtcNow.AddHours(2), null, run.Revision, Token);
            return caller => p.Runs.RescheduleAsync(caller, run.Id, DateTime.UtcNow.AddHours(3), null, run.Revision, Token);
        }),
        new Act("cancel a run's schedule", Role.Operator, async p =>
        {
            var run = await ApprovedOnDevAsync(p);
            run = await p.Runs.ScheduleAsync(TestPeople.Olga, run.Id, DateTime.UtcNow.AddHours(2), null, run.Revision, Token);
            return caller => p.Runs.CancelScheduleAsync(caller, run.Id, run.Revision, Token);
        }),
        new Act("cancel a run", Role.Operator, async p =>
        {
            var run = await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);
            return caller => p.Runs.CancelAsync(caller, run.Id, run.Revision, Token);
        }),
        new Act("create a rollback run", Role.Operator, async p =>
        {
            var done = await p.ExecuteAsync(await p.QueuedAsync("dev", "1.0.0"));
            return caller => p.Runs.CreateRollbackAsync(caller, "dev", done.Id, null, Token);
        }),
        new Act("start an emergency rollback", Role.Operator, async p =>
        {
            var failed = await p.FailedRunLeftAppliedAsync("dev", "1.0.0", "1.1.0");
            return caller => p.Runs.EmergencyRollbackAsync(caller, failed.Id,
                new EmergencyRollbackRequest("the validation of 1.1.0 failed", "the run's backup job failed too"), Token);
        }),
        new Act("override the staging requirement", Role.Admin, async p =>
        {
            var run = await p.ReadyForApprovalAsync("production", "1.0.0");
            return caller => p.Runs.OverrideStagingAsync(caller, run.Id, "no staging environment this week", run.Revision, Token);
        }),

        new Act("back up a whole database", Role.Operator, async p => caller => Backups(p).BackUpDatabaseAsync(caller, "dev", Token)),
        new Act("verify a backup", Role.Operator, async p =>
        {
            var backup = await p.Services.GetRequiredService<IBackupService>().CreateAsync(TestPeople.Olga, "dev", null, null, new RecordingProgress(), Token);
            return caller => Backups(p).VerifyAsync(caller, backup.Id, Token);
        }),
        new Act("restore a backup", Role.Approver, async p =>
        {
            var service = p.Services.GetRequiredService<IBackupService>();
            var backup = await service.CreateAsync(TestPeople.Olga, "dev", null, null, new RecordingProgress(), Token);
            await service.VerifyAsync(TestPeople.Olga, backup.Id, new RecordingProgress(), Token);
            return caller => Backups(p).RestoreAsync(caller, backup.Id, "dev", Token);
        }),
        new Act("attach a backup to a run", Role.Operator, async p =>
        {
            var service = p.Services.GetRequiredService<IBackupService>();
            var backup = await service.CreateAsync(TestPeople.Olga, "dev", null, null, new RecordingProgress(), Token);
            await service.VerifyAsync(TestPeople.Olga, backup.Id, new RecordingProgress(), Token);
            var run = await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token);
            return caller => RunBackups(p).AttachAsync(caller, run.Id, backup.Id, run.Revision, Token);
        }),
        new Act("restore from backup for a failed rollback run", Role.Approver, async p =>
        {
            var run = await p.BackUpAsync(await p.Runs.CreateAsync(TestPeople.Olga, "dev", SchemaVersion.Parse("1.0.0"), Token));
            var rollback = new MigrationRun
            {
                Id = "run-rollback-dev", Target = "dev", Tier = run.Tier, From = run.To, To = run.From, Kind = RunKind.Rollback, RollbackOf = run.Id,
                Checksums = [], RequestedBy = "olga", State = RunState.RollbackFailed, Checklist = ChecklistTemplate.NewChecklist(RunKind.Rollback),
            };
            Assert.Null(await p.Store.TryInsertAsync(rollback, Token));
            return caller => RunBackups(p).RestoreAsync(caller, rollback.Id, "dev", rollback.Revision, Token);
        }),
        new Act("apply the backup retention", Role.Admin, async p => caller => Backups(p).ApplyRetentionAsync(caller, Token)),

        new Act("list the users", Role.Admin, async p => caller => Users(p).ListAsync(caller, Token)),
        new Act("add a user", Role.Admin, async p => caller => Users(p).CreateAsync(caller, new NewUserRequest("carol", Role.Viewer, "quiet harbour lanterns"), Token)),
        new Act("change a role", Role.Admin, async p => caller => Users(p).ChangeRoleAsync(caller, "bob", Role.Operator, Token)),
        new Act("reset a password", Role.Admin, async p => caller => Users(p).ResetPasswordAsync(caller, "bob", "amber fjord pebbles", Token)),
        new Act("unlock an account", Role.Admin, async p => caller => Users(p).UnlockAsync(caller, "bob", Token)),
        new Act("disable an account", Role.Admin, async p => caller => Users(p).SetDisabledAsync(caller, "bob", true, Token)),
        new Act("enable an account", Role.Admin, async p => caller => Users(p).SetDisabledAsync(caller, "bob", false, Token)),
        new Act("end someone's sessions", Role.Admin, async p => caller => Users(p).EndSessionsAsync(caller, "bob", Token)),

        new Act("run an integrity check", Role.Viewer, async p =>
        {
            var plan = p.Services.GetRequiredService<MigrationPlanner>().Plan(SchemaVersion.Zero, p.Registry.Latest);
            var check = p.Services.GetRequiredService<IIntegrityChecks>().Describe(plan).First(c => c.Phase == CheckPhase.PreMigration);
            return caller => p.Services.GetRequiredService<OnDemandChecks>().RunAsync(caller, check.Id, p.Targets.Get("dev"), plan, Token);
        }),
        new Act("verify the audit chain", Role.Viewer, async p => caller => p.Services.GetRequiredService<AuditVerifier>().VerifyAsync(caller, Token)),
    ];

    private static BackupRequests Backups(PortalHarness harness) => harness.Services.GetRequiredService<BackupRequests>();

    private static RunBackups RunBackups(PortalHarness harness) => harness.Services.GetRequiredService<RunBackups>();

    private static UserAdministration Users(PortalHarness harness) => harness.Services.GetRequiredService<UserAdministration>();

    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var door in Doors)
        {
            foreach (var person in People.Keys) cells.Add(door.Name, person);
        }
        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_door_lets_through_exactly_the_roles_the_table_names(string doorName, string personName)
    {
        var door = Doors.Single(d => d.Name == doorName);
        var person = People[personName];
        var allowed = door.Minimum is not { } minimum || person is not null && person.Role >= minimum;
        switch (door)
        {
            case Route route:
                await TryRouteAsync(route, person, allowed);
                break;
            case Act act:
                await TryActAsync(act, person, allowed);
                break;
        }
    }

    private async Task TryRouteAsync(Route route, TestPerson? person, bool allowed)
    {
        var client = portal.NewClient();
        if (person is not null) await SignInEndpointTests.SignInAsync(client, person.Name, SandboxPortalFactory.Password);

        var response = route.Post ? await client.PostAsync(route.Path, null, Token) : await client.GetAsync(route.Path, Token);

        if (allowed)
        {
            Assert.Equal(route.Allowed, response.StatusCode);
            return;
        }
        if (person is null && route.Unauthenticated != HttpStatusCode.Redirect)
        {
            Assert.Equal(route.Unauthenticated, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
        Assert.Contains("/signin?returnUrl=", location);
        // Someone signed in is told their role may not: the sign-in page gets a (protected) error, not a bare form.
        Assert.Equal(person is not null, location.Contains($"&{SignInErrors.QueryName}=", StringComparison.Ordinal));
    }

    private static async Task TryActAsync(Act act, TestPerson? person, bool allowed)
    {
        using var harness = new PortalHarness();
        var attempt = await act.Prepare(harness);
        var before = harness.Audit.Records.Count;
        Caller caller = person is null ? new UserCaller("mallory") : person;

        if (allowed)
        {
            await attempt(caller);
            Assert.DoesNotContain(harness.Audit.Records.Skip(before), r => r.Action == AuditActions.ActionRefused);
            return;
        }
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => attempt(caller));
        Assert.Matches(person is null ? "The account 'mallory' no longer exists" : $"{person.Name} \\({person.Role}\\) may not .*: it needs the {act.Minimum} role", refused.Message);
        var audited = Assert.Single(harness.Audit.Records.Skip(before), r => r.Action == AuditActions.ActionRefused);
        Assert.Equal((caller.Name, person?.Role.ToString() ?? "none"), (audited.User, audited.Role));
    }
}
