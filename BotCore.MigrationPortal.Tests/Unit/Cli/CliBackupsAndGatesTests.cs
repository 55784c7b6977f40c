using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Cli;

/// <summary>
/// The new verbs and the gates of <c>up</c>/<c>down</c>, in sandbox, through the whole CLI. The portal's stores are the sandbox's
/// in-memory ones, shared with the test (as the test hosts replace what a test observes) so that what the CLI recorded can be read back.
/// </summary>
public sealed class CliBackupsAndGatesTests : IDisposable
{
    private readonly string backupFolder = Directory.CreateTempSubdirectory("cli-backups-").FullName;
    private readonly RecordingAuditLog audit = new();
    private readonly InMemoryRunStore runs = new();
    private readonly InMemoryRunEventStore events = new();
    private IIntegrityChecks? checks;

    private sealed record CliRun(int ExitCode, string Out, string Error);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(backupFolder, recursive: true);

    private async Task<CliRun> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error),
            builder => builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Backups:Location"] = backupFolder }), Token, services =>
            {
                services.AddSingleton<IAuditLog>(audit);
                services.AddSingleton<IRunStore>(runs);
                services.AddSingleton<IRunEventStore>(events);
                if (checks is not null) services.AddSingleton(checks);
            });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private async Task<BsonDocument> BackUp(string target)
    {
        var run = await Run("backup", "--sandbox", "--target", target, "--json");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        return BsonDocument.Parse(run.Out);
    }

    [Fact]
    public async Task Backup_json_writes_a_backup_and_prints_its_manifest()
    {
        var run = await Run("backup", "--sandbox", "--target", "dev", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var manifest = BsonDocument.Parse(run.Out);
        Assert.Equal("dev", manifest["target"].AsString);
        Assert.Equal(CliIdentity.User, manifest["createdBy"].AsString);
        Assert.True(manifest["wholeDatabase"].AsBoolean);
        Assert.True(manifest["simulated"].AsBoolean);
        Assert.Equal(BsonNull.Value, manifest["verification"]);
        Assert.True(File.Exists(Path.Combine(backupFolder, manifest["id"].AsString, "manifest.json")) ||
            Directory.EnumerateFiles(backupFolder, "manifest.json", SearchOption.AllDirectories).Any());
        // The progress lines go to standard error, so that standard output is the manifest alone.
        Assert.Contains("Written: backup", run.Error);
        var created = Assert.Single(audit.Records, r => r.Action == AuditActions.BackupCreated);
        Assert.Equal((CliIdentity.User, "Admin", "dev"), (created.User, created.Role, created.Target));
    }

    [Fact]
    public async Task Backup_as_text_shows_the_manifest_and_that_it_is_not_verified()
    {
        var run = await Run("backup", "--sandbox", "--target", "staging");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Backup ", run.Out);
        Assert.Contains(" of staging (staging), taken ", run.Out);
        Assert.Contains("not verified yet: verify ", run.Out);
    }

    [Fact]
    public async Task Verify_json_records_the_verification_in_the_manifest()
    {
        var id = (await BackUp("dev"))["id"].AsString;

        var run = await Run("verify", id, "--sandbox", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var manifest = BsonDocument.Parse(run.Out);
        Assert.Equal(id, manifest["id"].AsString);
        Assert.True(manifest["verification"]["passed"].AsBoolean);
        Assert.Contains(audit.Records, r => r is { Action: AuditActions.BackupVerified, User: var user } && user == CliIdentity.User);
    }

    [Fact]
    public async Task Verify_of_an_unknown_backup_is_refused_with_exit_1()
    {
        var run = await Run("verify", "20260101-000000-dev-0000", "--sandbox");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("There is no backup '20260101-000000-dev-0000'", run.Error);
    }

    [Fact]
    public async Task Backups_list_json_lists_the_manifests_and_filters_by_target()
    {
        var dev = (await BackUp("dev"))["id"].AsString;
        var staging = (await BackUp("staging"))["id"].AsString;

        var all = BsonSerializerArray((await Run("backups", "list", "--sandbox", "--json")).Out);
        var onlyStaging = BsonSerializerArray((await Run("backups", "list", "--sandbox", "--target", "staging", "--json")).Out);
        var text = await Run("backups", "list", "--sandbox");

        Assert.Equal([staging, dev], all.Select(b => b["id"].AsString));
        Assert.Equal([staging], onlyStaging.Select(b => b["id"].AsString));
        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.StartsWith("ID ", text.Out);
        Assert.Contains(dev, text.Out);
    }

    private static List<BsonDocument> BsonSerializerArray(string json) =>
        MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonArray>(json).Select(b => b.AsBsonDocument).ToList();

    [Fact]
    public async Task Restore_needs_a_verified_backup_and_the_target_name_typed()
    {
        var id = (await BackUp("dev"))["id"].AsString;

        var unverified = await Run("restore", id, "--sandbox", "--target", "dev", "--confirm", "dev");
        await Run("verify", id, "--sandbox");
        var mistyped = await Run("restore", id, "--sandbox", "--target", "dev", "--confirm", "Dev");
        var otherTarget = await Run("restore", id, "--sandbox", "--target", "staging", "--confirm", "staging");
        var restored = await Run("restore", id, "--sandbox", "--target", "dev", "--confirm", "dev");

        Assert.Equal(ExitCodes.Failure, unverified.ExitCode);
        Assert.Contains($"Backup {id} has not been verified: verify it first", unverified.Error);
        Assert.Equal(ExitCodes.Failure, mistyped.ExitCode);
        Assert.Contains("Not restored: type the name of the target, dev, to confirm", mistyped.Error);
        Assert.Equal(ExitCodes.BadInput, otherTarget.ExitCode);
        Assert.Contains($"Backup {id} was taken of dev, not staging", otherTarget.Error);
        Assert.Equal(ExitCodes.Success, restored.ExitCode);
        Assert.Contains($"Restored backup {id} over dev", restored.Out);
        Assert.Equal(2, audit.Records.Count(r => r.Action == AuditActions.ActionRefused));
        Assert.Contains(audit.Records, r => r.Action == AuditActions.BackupRestored && r.User == CliIdentity.User);
    }

    [Fact]
    public async Task Check_pre_json_prints_each_checks_result()
    {
        var run = await Run("check", "pre", "--sandbox", "--target", "dev", "--to", "1.3.0", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var json = BsonDocument.Parse(run.Out);
        Assert.Equal(("dev", "pre", "0.0.0", "1.3.0", false), (json["target"].AsString, json["phase"].AsString, json["from"].AsString, json["to"].AsString, json["blocked"].AsBoolean));
        var results = json["checks"].AsBsonArray.Select(c => c.AsBsonDocument).ToList();
        Assert.NotEmpty(results);
        Assert.Contains(results, c => c["id"].AsString == "pre.email-index" && c["outcome"].AsString == "Passed" && c["verdict"].AsString == "ok");
        Assert.All(results, c =>
        {
            Assert.NotEmpty(c["name"].AsString);
            Assert.Contains(c["severity"].AsString, new[] { "Blocking", "Warning" });
            Assert.Contains(c["outcome"].AsString, new[] { "Passed", "Failed", "Simulated" });
            Assert.True(c["evidence"].IsBsonArray);
        });
        Assert.Equal(results.Count, audit.Records.Count(r => r.Action == AuditActions.ChecksRun && r.User == CliIdentity.User));
    }

    [Fact]
    public async Task Check_post_checks_the_applied_version()
    {
        var run = await Run("check", "post", "--sandbox", "--target", "dev");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("Post-migration checks on dev for 0.0.0 → 0.0.0:", run.Out);
        Assert.EndsWith("No blocking check failed.", run.Out.TrimEnd());
    }

    [Fact]
    public async Task Up_on_staging_runs_the_pre_checks_takes_and_verifies_a_backup_and_appears_in_the_run_list_with_its_events()
    {
        var run = await Run("up", "--sandbox", "--target", "staging", "--to", "1.1.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("Pre-migration checks on staging (Staging):", run.Out);
        Assert.Matches(@"Backup \S+ taken and verified\.", run.Out);
        var recorded = Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Equal((CliIdentity.User, "staging", RunState.Succeeded, "1.1.0"), (recorded.RequestedBy, recorded.Target, recorded.State, recorded.To.ToString()));
        Assert.StartsWith("cli-", recorded.Id);
        Assert.Contains($"Recorded as run {recorded.Id} in the portal's run list.", run.Out);
        Assert.Equal([RunState.Running, RunState.Validating, RunState.Succeeded], recorded.Transitions.Select(t => t.To));
        Assert.Contains("backup ", recorded.Transitions[0].Reason);
        // The checks the gates ran are the run's pre-checks table, as a portal run's are.
        Assert.NotEmpty(recorded.PreMigrationChecks);
        Assert.All(recorded.PreMigrationChecks, c => Assert.False(c.Blocks));
        var stored = await events.ReadAsync(recorded.Id, 0, Token);
        Assert.Contains(stored, e => e.Event.Kind == RunEventKind.StepFinished);
        Assert.Contains(stored, e => e.Event.Kind == RunEventKind.RunFinished);
        var backup = Assert.Single((await Run("backups", "list", "--sandbox", "--json")).Out.Split("\"runId\"").Skip(1));
        Assert.Contains(recorded.Id, backup);
        Assert.Equal(
            [AuditActions.PreChecksRun, AuditActions.BackupCreated, AuditActions.BackupVerified, AuditActions.RunCreated, AuditActions.RunStateChanged],
            audit.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task Up_on_development_takes_no_backup_and_is_recorded_too()
    {
        var run = await Run("up", "--sandbox", "--target", "dev", "--to", "1.0.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.DoesNotContain("Backup", run.Out);
        var recorded = Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.Contains("no gates on a Development target", recorded.Transitions[0].Reason);
    }

    [Fact]
    public async Task Up_on_production_is_refused_with_the_name_of_the_failing_blocking_check_and_nothing_runs()
    {
        checks = new FailingPreCheck();

        var run = await Run("up", "--sandbox", "--target", "production", "--to", "1.1.0", "--confirm-production");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("error: Refused: the blocking pre-check 'No orphaned trades' failed on production: 3 trades reference no user. Nothing was run.", run.Error.Trim());
        Assert.Empty((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Empty(Directory.EnumerateFileSystemEntries(backupFolder));
        var refused = Assert.Single(audit.Records, r => r.Action == AuditActions.ActionRefused);
        Assert.Equal("tried to up 0.0.0 → 1.1.0 on production: Refused: the blocking pre-check 'No orphaned trades' failed on production: 3 trades reference no user. Nothing was run.",
            refused.Details);
    }

    [Theory]
    [InlineData]
    [InlineData("--reason", "too short")]
    public async Task Skip_backup_without_a_written_reason_is_refused_and_audited(params string[] reason)
    {
        var run = await Run(["up", "--sandbox", "--target", "staging", "--skip-backup", .. reason]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Write down why for running without a backup", run.Error);
        Assert.Empty((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        var refused = Assert.Single(audit.Records);
        Assert.Equal((AuditActions.ActionRefused, CliIdentity.User), (refused.Action, refused.User));
        Assert.StartsWith("tried to run on staging without a backup: ", refused.Details);
    }

    [Fact]
    public async Task Skip_backup_with_a_reason_runs_without_a_backup_and_the_reason_is_audited_and_on_the_run()
    {
        var run = await Run("up", "--sandbox", "--target", "staging", "--to", "1.0.0", "--skip-backup", "--reason", "backup taken by the nightly job at 02:00, BOT-17");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("No backup taken (--skip-backup): backup taken by the nightly job at 02:00, BOT-17", run.Out);
        Assert.Empty(Directory.EnumerateFileSystemEntries(backupFolder));
        var skipped = Assert.Single(audit.Records, r => r.Action == AuditActions.BackupSkipped);
        Assert.Equal("up 0.0.0 → 1.0.0 on staging from the command line without a backup: backup taken by the nightly job at 02:00, BOT-17", skipped.Details);
        var recorded = Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Contains("no backup: backup taken by the nightly job at 02:00, BOT-17", recorded.Transitions[0].Reason);
    }

    [Theory]
    [InlineData("--skip-backup is for Staging and Production targets; dev is a Development target", "--skip-backup", "--reason", "not needed on dev at all")]
    [InlineData("--reason goes with --skip-backup", "--reason", "not needed on dev at all")]
    public async Task Skip_backup_options_out_of_place_are_bad_usage(string message, params string[] options)
    {
        var run = await Run(["up", "--sandbox", "--target", "dev", .. options]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task A_second_run_on_a_target_with_an_open_run_is_refused()
    {
        await runs.TryInsertAsync(new MigrationRun
        {
            Id = "run-open", Target = "dev", Tier = TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"), Checksums = [], RequestedBy = "ada",
            State = RunState.AwaitingApproval,
        }, Token);

        var run = await Run("up", "--sandbox", "--target", "dev", "--to", "1.0.0");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Target 'dev' already has an open run, run-open", run.Error);
    }

    [Fact]
    public async Task On_staging_a_target_with_an_open_run_is_refused_before_the_gates_take_a_backup()
    {
        await runs.TryInsertAsync(new MigrationRun
        {
            Id = "run-open", Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"), Checksums = [],
            RequestedBy = "ada", State = RunState.AwaitingApproval,
        }, Token);

        var run = await Run("up", "--sandbox", "--target", "staging", "--to", "1.0.0");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Target 'staging' already has an open run, run-open", run.Error);
        Assert.DoesNotContain(audit.Records, r => r.Action is AuditActions.PreChecksRun or AuditActions.BackupCreated);
        Assert.Equal("[]", (await Run("backups", "list", "--sandbox", "--json")).Out.Trim());
    }

    [Fact]
    public async Task A_run_from_the_command_line_records_the_version_it_left_the_target_at()
    {
        var run = await Run("up", "--sandbox", "--target", "dev", "--to", "1.0.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("1.0.0", Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs).LeftAt?.ToString());
    }

    /// <summary>The sandbox's checks prove nothing about documents; this one finds orphaned trades, as a real target could.</summary>
    private sealed class FailingPreCheck : IIntegrityChecks
    {
        public IReadOnlyList<CheckDescriptor> Describe(MigrationPlan? plan) => throw new NotSupportedException();

        public Task<IReadOnlyList<CheckResult>> RunPreMigrationAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CheckResult>>(
            [
                new("pre.email-index", "Critical email index present", CheckPhase.PreMigration, CheckSeverity.Blocking, CheckOutcome.Passed, "present", [], TimeSpan.Zero),
                new("pre.data", "Documents a step will touch", CheckPhase.PreMigration, CheckSeverity.Warning, CheckOutcome.Failed, "many", [], TimeSpan.Zero),
                new("pre.orphaned-trades", "No orphaned trades", CheckPhase.PreMigration, CheckSeverity.Blocking, CheckOutcome.Failed, "3 trades reference no user",
                    ["trade 1", "trade 2", "trade 3"], TimeSpan.Zero),
            ]);

        public Task<CollectionCounts> CountAsync(IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CheckResult>> RunPostMigrationAsync(IMigrationTarget target, MigrationPlan plan, CollectionCounts before,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CheckResult> RunOneAsync(string checkId, IMigrationTarget target, MigrationPlan plan, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
