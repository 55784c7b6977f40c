using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Cli;

/// <summary>
/// <c>fix list</c>, <c>fix plan</c> and <c>fix run</c> in sandbox, through the whole CLI, with the portal's stores shared with the test so that
/// what <c>fix run</c> recorded can be read back. The sandbox target <c>legacy</c> (Production) is the database the spec's scripts built: it has
/// <c>trades</c>, and two version documents, as those scripts leave them, so a run on it is refused until it is adopted. The other sandbox
/// targets start empty and a command's sandbox lasts for that command, so a fix run that changes documents is tested through the portal
/// (FixRunTests) and on MongoDB (FixIntegrationTests).
/// </summary>
public sealed class CliFixVerbsTests : IDisposable
{
    private const string TradesFix = "2026-12-02-trades-missing-status";
    private readonly string backupFolder = Directory.CreateTempSubdirectory("cli-fix-backups-").FullName;
    private readonly RecordingAuditLog audit = new();
    private readonly InMemoryRunStore runs = new();
    private readonly InMemoryRunEventStore events = new();

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
            });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Fix_list_shows_each_fix_with_its_checksum_collection_and_description_and_its_journal_on_a_target()
    {
        var text = await Run("fix", "list", "--sandbox", "--target", "legacy");
        var json = Json(await Run("fix", "list", "--sandbox", "--json"));

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains(TradesFix, text.Out);
        Assert.Contains("on legacy: never applied", text.Out);
        var fix = Assert.Single(json.AsBsonArray).AsBsonDocument;
        Assert.Equal((TradesFix, "trades"), (fix["id"].AsString, fix["collection"].AsString));
        Assert.Equal(64, fix["checksum"].AsString.Length);
        Assert.Equal(BsonDocument.Parse("{ status: { $exists: false } }"), fix["filter"]);
        Assert.Equal(new BsonDocument("status", "PENDING"), fix["set"]);
    }

    [Fact]
    public async Task Fix_plan_prints_the_filter_the_update_and_the_batching_as_mongosh_and_changes_nothing()
    {
        var text = await Run("fix", "plan", TradesFix, "--sandbox", "--target", "legacy", "--batch-size", "250");
        var json = Json(await Run("fix", "plan", TradesFix, "--sandbox", "--target", "legacy", "--json")).AsBsonDocument;

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains("journal: never applied", text.Out);
        Assert.Contains("need the fix now; the schema version does not change", text.Out);
        Assert.Contains("in batches of 250 by _id", text.Out);
        Assert.Contains("updateOne({ $and: [{ _id: <its _id> }, { \"status\" : { \"$exists\" : false } }] }, { $set: { \"status\" : \"PENDING\" } });", text.Out);
        Assert.Equal(("legacy", false, 0L), (json["target"].AsString, json["undo"].AsBoolean, json["documents_needing_fix"].ToInt64()));
        Assert.NotEmpty(json["mongosh"].AsBsonArray);
        Assert.Empty((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Empty(audit.Records);
    }

    [Fact]
    public async Task Fix_run_on_production_needs_the_confirmation_flag()
    {
        var refused = await Run("fix", "run", TradesFix, "--sandbox", "--target", "production");

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains("add --confirm-production", refused.Error);
        Assert.Empty((await runs.QueryAsync(new RunQuery(), Token)).Runs);
    }

    [Fact]
    public async Task Fix_run_on_staging_passes_the_gates_of_up_and_is_a_fix_run_in_the_run_list_that_never_moves_the_version()
    {
        var run = await Run("fix", "run", TradesFix, "--sandbox", "--target", "staging");

        Assert.Contains("Pre-migration checks on staging (Staging):", run.Out);
        Assert.Matches(@"Backup \S+ taken and verified\.", run.Out);
        var recorded = Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Contains($"Recorded as run {recorded.Id} in the portal's run list.", run.Out);
        Assert.Equal((RunKind.Fix, TradesFix), (recorded.Kind, recorded.Fix!.Id));
        Assert.Equal(recorded.From, recorded.To);
        Assert.Contains("backup ", recorded.Transitions[0].Reason);
        Assert.Contains(audit.Records, r => r.Action == AuditActions.FixRunCreated && r.Details.StartsWith($"Fix {TradesFix}"));
        Assert.Contains(audit.Records, r => r.Action == AuditActions.BackupVerified);
        // The simulated staging database starts empty: without trades the fix does not start, and the run says so.
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("staging has no collection trades (it is at 0.0.0): the fix has nothing to change there.", run.Error);
        Assert.Equal(RunState.Failed, recorded.State);
    }

    [Fact]
    public async Task Fix_run_on_a_database_whose_version_is_not_known_is_refused_before_anything_runs()
    {
        var run = await Run("fix", "run", TradesFix, "--sandbox", "--target", "legacy", "--confirm-production");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Adopt the database (baseline)", run.Error);
        Assert.Empty((await runs.QueryAsync(new RunQuery(), Token)).Runs);
    }

    [Fact]
    public async Task Fix_run_with_undo_restores_through_the_same_gates_and_is_a_fix_undo_run()
    {
        var run = await Run("fix", "run", TradesFix, "--sandbox", "--target", "dev", "--undo");

        // dev starts empty: the fix's collection does not exist, so nothing runs; the undo is refused like the fix.
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var recorded = Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Equal((RunKind.FixUndo, RunState.Failed), (recorded.Kind, recorded.State));
    }

    [Fact]
    public async Task Fix_run_where_the_collection_does_not_exist_changes_nothing_and_fails()
    {
        var run = await Run("fix", "run", TradesFix, "--sandbox", "--target", "dev");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("dev has no collection trades (it is at 0.0.0): the fix has nothing to change there.", run.Error);
        var recorded = Assert.Single((await runs.QueryAsync(new RunQuery(), Token)).Runs);
        Assert.Equal(RunState.Failed, recorded.State);
    }

    [Theory]
    [InlineData("Unknown fix '2020-01-01-none'", "fix", "plan", "2020-01-01-none", "--sandbox", "--target", "dev")]
    [InlineData("'fix plan' needs <id>", "fix", "plan", "--sandbox", "--target", "dev")]
    [InlineData("--skip-backup is for Staging and Production targets", "fix", "run", TradesFix, "--sandbox", "--target", "dev", "--skip-backup", "--reason", "the nightly backup, BOT-17")]
    public async Task Bad_input_is_one_line_and_exit_2(string message, params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    /// <summary>The JSON a verb wrote (an array or a document).</summary>
    private static BsonValue Json(CliRun run)
    {
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        return BsonDocument.Parse($"{{ \"v\": {run.Out} }}")["v"];
    }
}
