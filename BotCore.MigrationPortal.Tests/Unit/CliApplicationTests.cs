using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using Microsoft.Extensions.Configuration;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>The CLI end to end in-process, with its output captured; no test here needs a database.</summary>
public sealed class CliApplicationTests
{
    private const string UnreachableAddress = "127.0.0.1:1";

    private sealed record CliRun(int ExitCode, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static Task<CliRun> Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    private static async Task<CliRun> Run(IDictionary<string, string?> configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error),
            builder => builder.AddInMemoryCollection(configuration), Xunit.TestContext.Current.CancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private static Dictionary<string, string?> Target(string name, string connectionString) => new()
    {
        [$"Targets:{name}:ConnectionString"] = connectionString,
        [$"Targets:{name}:TimeoutSeconds"] = "1",
    };

    /// <summary>Bad input: exit 2, nothing on standard output, one line on standard error that starts with "error:" and has no stack trace.</summary>
    private static void AssertBadInput(CliRun run, string message)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Empty(run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(message, line);
        Assert.DoesNotMatch(@"\bat \S+\.\S+\(", run.Error); // a stack frame
        Assert.DoesNotContain("Exception", run.Error);
    }

    [Fact]
    public async Task List_shows_every_migration_with_its_file_checksum_and_description()
    {
        var run = await Run("list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("VERSION", lines[0]);
        Assert.Equal(Registry.Migrations.Count, lines.Length - 1);
        Assert.All(Registry.Migrations.Zip(lines.Skip(1)), pair =>
        {
            var (migration, line) = pair;
            Assert.StartsWith(migration.Version.ToString(), line);
            Assert.Contains(migration.SourceFileName, line);
            Assert.Contains(migration.Checksum, line);
            Assert.EndsWith(migration.IsDraft ? $"{migration.Description} [DRAFT: not released]" : migration.Description, line);
        });
        Assert.Equal(["1.3.0"], Registry.Migrations.Where(m => m.IsDraft).Select(m => m.Version.ToString()));
    }

    [Fact]
    public async Task Plan_without_options_goes_from_nothing_to_the_latest()
    {
        var run = await Run("plan");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("Plan 0.0.0 → 1.3.0 (up), 4 migrations:", run.Out);
        Assert.Contains("creates index users.idx_users_email_unique", run.Out);
        Assert.Contains($"source 004_RiskMetrics.cs, checksum {MigrationAt("1.3.0").Checksum}", run.Out);
        Assert.Contains("changes documents (in batches), not the catalog", run.Out);
        Assert.Contains("then sets the schema version to 1.3.0", run.Out);
    }

    [Fact]
    public async Task Plan_down_lists_the_drops()
    {
        var run = await Run("plan", "--from", "1.3.0", "--to", "1.1.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Plan 1.3.0 → 1.1.0 (down), 2 migrations:", run.Out);
        Assert.Contains("1.3.0 down: Enhanced risk metrics", run.Out);
        Assert.Contains("drops collection risk_metrics", run.Out);
        Assert.Contains("then sets the schema version to 1.1.0", run.Out);
        Assert.True(run.Out.IndexOf("1.3.0 down", StringComparison.Ordinal) < run.Out.IndexOf("1.2.0 down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_to_the_same_version_has_nothing_to_do()
    {
        var run = await Run("plan", "--from", "1.2.0", "--to", "1.2.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Nothing to do: 1.2.0 is already 1.2.0.", run.Out);
    }

    [Fact]
    public async Task Plan_json_describes_the_plan_for_pipelines()
    {
        var run = await Run("plan", "--from", "1.1.0", "--json");
        var expected = new MigrationPlanner(Registry).Plan(V("1.1.0"), V("1.3.0"));

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var json = BsonDocument.Parse(run.Out);
        Assert.Equal(("1.1.0", "1.3.0", "up"), (json["from"].AsString, json["to"].AsString, json["direction"].AsString));
        var migrations = json["migrations"].AsBsonArray.Select(m => m.AsBsonDocument).ToList();
        Assert.Equal(expected.Migrations.Count, migrations.Count);
        foreach (var (planned, document) in expected.Migrations.Zip(migrations))
        {
            Assert.Equal(planned.Version.ToString(), document["version"].AsString);
            Assert.Equal("up", document["direction"].AsString);
            Assert.Equal(planned.Migration.SourceFileName, document["source"].AsString);
            Assert.Equal(planned.Migration.Checksum, document["checksum"].AsString);
            Assert.Equal(planned.To.ToString(), document["resultingVersion"].AsString);
            var steps = document["steps"].AsBsonArray.Select(s => s.AsBsonDocument).ToList();
            Assert.Equal(planned.Steps.Select(s => s.Number), steps.Select(s => s["number"].AsInt32));
            Assert.Equal(planned.Steps.Select(s => s.Step.Description), steps.Select(s => s["description"].AsString));
            Assert.Equal(planned.Steps.Select(s => s.Step.Kind.ToString().ToLowerInvariant()), steps.Select(s => s["kind"].AsString));
            Assert.Equal(
                planned.Steps.Select(s => s.Changes.Select(c => c.DescribeAsChange())),
                steps.Select(s => s["changes"].AsBsonArray.Select(c => c.AsString)));
        }
    }

    [Fact]
    public async Task Catalog_json_is_the_expected_catalog_of_the_version()
    {
        var run = await Run("catalog", "--version", "1.3.0", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Equal(BsonDocument.Parse(CatalogJson.ToJson(ExpectedAt("1.3.0"))), BsonDocument.Parse(run.Out));
    }

    [Fact]
    public async Task Catalog_as_text_lists_collections_and_indexes()
    {
        var run = await Run("catalog", "--version", "1.0.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Expected catalog at 1.0.0: 3 collections", run.Out);
        Assert.Contains("market_data (timeseries)", run.Out);
        Assert.Contains("index { \"name\" : \"idx_trades_ttl\"", run.Out);
    }

    [Fact]
    public async Task An_unknown_command_is_bad_usage_and_is_not_repeated_in_case_it_is_a_secret()
    {
        var run = await Run("mongodb://admin:s3cret@db.example/", "--to", "1.0.0");

        AssertBadInput(run, "The first word is not a command. Commands: ");
        Assert.DoesNotContain("s3cret", run.Error + run.Out);
    }

    [Theory]
    [InlineData("'1.2' is not a schema version", "plan", "--to", "1.2")]
    [InlineData("'01.0.0' is not a schema version", "plan", "--from", "01.0.0")]
    [InlineData("'latest' is not a schema version", "catalog", "--version", "latest")]
    public async Task A_malformed_version_is_bad_input(string message, params string[] args) =>
        AssertBadInput(await Run(args), message);

    [Theory]
    [InlineData("Unknown requested version 1.4.0", "plan", "--to", "1.4.0")]
    [InlineData("Unknown starting version 0.9.0", "plan", "--from", "0.9.0")]
    [InlineData("Unknown schema version 2.0.0", "catalog", "--version", "2.0.0")]
    public async Task An_unknown_version_is_bad_input(string message, params string[] args) =>
        AssertBadInput(await Run(args), message);

    [Theory]
    [InlineData("status", "--target", "nowhere")]
    [InlineData("drift", "--target", "nowhere")]
    [InlineData("up", "--target", "nowhere")]
    [InlineData("down", "--target", "nowhere", "--to", "0.0.0")]
    [InlineData("rehearse", "--target", "nowhere")]
    public async Task An_unknown_target_is_bad_input(params string[] args) =>
        AssertBadInput(await Run(args), "Unknown target 'nowhere'");

    [Theory]
    [InlineData("status", "--target", "dead")]
    [InlineData("drift", "--target", "dead")]
    [InlineData("up", "--target", "dead")]
    public async Task A_target_whose_database_does_not_answer_is_unreachable(params string[] args)
    {
        var run = await Run(Target("dead", $"mongodb://{UnreachableAddress}/?directConnection=true"), args);

        AssertBadInput(run, "Target 'dead' (mongodb://127.0.0.1:1/bot_core_db) is unreachable");
    }

    [Theory]
    [InlineData("Targets:staging:Tier", "Prod", "Targets:staging:Tier")]
    [InlineData("Migrations:Lease:RenewEverySeconds", "0", "RenewEverySeconds must be 1 or more")]
    [InlineData("Migrations:Batching:BatchSize", "0", "The batch size must be between 1 and 100,000")]
    public async Task A_bad_setting_is_one_line_of_bad_input_for_every_command(string key, string value, string message)
    {
        var run = await Run(new Dictionary<string, string?> { [key] = value }, "list");

        AssertBadInput(run, message);
    }

    [Fact]
    public async Task A_target_without_a_connection_string_is_bad_input()
    {
        var run = await Run(new Dictionary<string, string?> { ["Targets:bare:Tier"] = "Staging" }, "status", "--target", "bare");

        AssertBadInput(run, "Target 'bare' has no connection string: set Targets__bare__ConnectionString.");
    }

    [Theory]
    [InlineData("mongodb://admin:s3cret@127.0.0.1:1/?directConnection=true")]
    [InlineData("mongodb://admin:s3cret@127.0.0.1:notaport/")]
    [InlineData("mongodb://admin:s3cret@")]
    public async Task The_password_of_a_connection_string_never_appears_in_the_output(string connectionString)
    {
        var run = await Run(Target("secret", connectionString), "status", "--target", "secret");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.DoesNotContain("s3cret", run.Out + run.Error);
        Assert.DoesNotContain("admin", run.Out + run.Error);
    }

    [Fact]
    public async Task An_unreachable_target_is_shown_with_its_credentials_masked()
    {
        var run = await Run(Target("secret", "mongodb://admin:s3cret@127.0.0.1:1/?directConnection=true"), "status", "--target", "secret");

        AssertBadInput(run, "(mongodb://***@127.0.0.1:1/bot_core_db) is unreachable");
    }

    [Theory]
    [InlineData("'list' does not understand '--verbose'. It takes no options.", "list", "--verbose")]
    [InlineData("'plan' does not understand '--bogus'", "plan", "--bogus")]
    [InlineData("'plan' does not understand word 1 after the command", "plan", "1.2.0")]
    [InlineData("'catalog' does not understand '--target'", "catalog", "--version", "1.0.0", "--target", "local")]
    public async Task An_unknown_option_is_bad_usage(string message, params string[] args) =>
        AssertBadInput(await Run(args), message);

    [Theory]
    [InlineData("'catalog' needs --version.", "catalog")]
    [InlineData("'catalog' needs --version.", "catalog", "--json")]
    [InlineData("'status' needs --target.", "status")]
    [InlineData("'drift' needs --target.", "drift")]
    [InlineData("'up' needs --target.", "up")]
    [InlineData("'down' needs --target.", "down", "--to", "1.0.0")]
    public async Task A_missing_required_option_is_bad_usage(string message, params string[] args) =>
        AssertBadInput(await Run(args), message);

    [Theory]
    [InlineData("Option --version of 'catalog' needs a value.", "catalog", "--version")]
    [InlineData("Option --to of 'plan' needs a value.", "plan", "--to", "--json")]
    public async Task An_option_without_its_value_is_bad_usage(string message, params string[] args) =>
        AssertBadInput(await Run(args), message);

    [Fact]
    public async Task Rehearse_on_the_sandbox_passes_every_migration()
    {
        var run = await Run("rehearse", "--sandbox");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.All(Versions, version => Assert.Contains($"{version}: passed", run.Out));
        Assert.DoesNotContain("FAIL", run.Out);
        Assert.Contains("Rehearsal passed for 4 migrations.", run.Out);
    }

    [Fact]
    public async Task Rehearse_on_the_sandbox_up_to_a_version_stops_there()
    {
        var run = await Run("rehearse", "--sandbox", "--to", "1.1.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("1.1.0: passed", run.Out);
        Assert.DoesNotContain("1.2.0", run.Out);
        Assert.Contains("Rehearsal passed for 2 migrations.", run.Out);
    }

    private const string LegacyNotAdopted = "Target legacy is not adopted: its database was migrated outside the portal (system_config holds 2 " +
        "DATABASE_SCHEMA_VERSION documents and no one version; adopting it keeps one). Run `baseline --target legacy` first.";

    [Theory]
    [InlineData("up")]
    [InlineData("up", "--to", "1.3.0", "--confirm-production")]
    [InlineData("down", "--to", "1.0.0", "--confirm-production")]
    [InlineData("drift")]
    public async Task A_verb_on_a_target_migrated_outside_the_portal_says_in_one_sentence_to_adopt_it_first(string verb, params string[] options)
    {
        var run = await Run([verb, "--sandbox", "--target", "legacy", .. options]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal("error: " + LegacyNotAdopted, Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Status_of_a_target_migrated_outside_the_portal_says_the_same_sentence()
    {
        var run = await Run("status", "--sandbox", "--target", "legacy");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Equal(LegacyNotAdopted, run.Out.Trim());
    }

    [Fact]
    public async Task Rehearse_of_a_target_migrated_outside_the_portal_says_the_same_sentence_and_how_to_rehearse_it_adopted()
    {
        var refused = await Run("rehearse", "--sandbox", "--target", "legacy");
        var adopted = await Run("rehearse", "--sandbox", "--target", "legacy", "--baseline", "1.2.0");

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Equal($"error: {LegacyNotAdopted} Or rehearse it adopted: add --baseline V, the version it is at.", Assert.Single(refused.ErrorLines));
        Assert.Equal(ExitCodes.Success, adopted.ExitCode);
        Assert.Contains("Adopted legacy at 1.2.0.", adopted.Out);
    }

    [Fact]
    public async Task Rehearse_needs_either_a_target_or_the_sandbox() =>
        AssertBadInput(await Run("rehearse"), "'rehearse' needs --target T, or --sandbox for a fresh simulated database.");

    [Fact]
    public async Task With_the_sandbox_a_target_is_one_of_the_simulated_ones() =>
        AssertBadInput(await Run("rehearse", "--sandbox", "--target", "local"), "Unknown target 'local': configured targets are dev, legacy, production, staging.");

    [Fact]
    public async Task Rehearse_refuses_a_production_target_before_touching_it()
    {
        var configuration = Target("prod", $"mongodb://{UnreachableAddress}/?directConnection=true");
        configuration["Targets:prod:Tier"] = "Production";

        var run = await Run(configuration, "rehearse", "--target", "prod");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("Target 'prod' is a Production target", line);
        Assert.DoesNotContain("unreachable", line);
    }

    [Fact]
    public async Task Up_on_the_sandbox_validates_the_run_as_the_portal_does_and_says_what_a_failed_validation_would_do()
    {
        var run = await Run("up", "--sandbox", "--target", "dev", "--to", "1.1.0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("If the validation fails, the run is rolled back at once (RollBackOnFailedValidation is on for dev).", run.Out);
        Assert.Contains("ok    paper_trading_accounts: matches the expected catalog", run.Out);
        Assert.Contains("ok    Touched collections match the expected catalog: ", run.Out);
        Assert.EndsWith("dev is at 1.1.0; its validation passed.", run.Out.TrimEnd());
    }

    [Fact]
    public async Task Up_to_a_draft_on_Production_needs_a_release_note_and_runs_with_it()
    {
        var refused = await Run("up", "--sandbox", "--target", "production", "--to", "1.3.0", "--confirm-production");
        var released = await Run("up", "--sandbox", "--target", "production", "--to", "1.3.0", "--confirm-production",
            "--release-note", "risk metrics signed off, RISK-42");

        AssertBadInput(refused, "1.3.0 is a draft (the spec marks it Pending): on Production target 'production' add --release-note");
        Assert.Equal(ExitCodes.Success, released.ExitCode);
        Assert.Contains("Draft 1.3.0 released for production: risk metrics signed off, RISK-42", released.Out);
        Assert.EndsWith("production is at 1.3.0; its validation passed.", released.Out.TrimEnd());
    }

    [Fact]
    public async Task Up_whose_validation_fails_is_rolled_back_says_what_failed_and_exits_1()
    {
        var run = await Run(new Dictionary<string, string?> { ["Sandbox:Targets:dev:Faults:FailPostCheck"] = "post.catalog" },
            "up", "--sandbox", "--target", "dev", "--to", "1.1.0");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            "up failed and was rolled back; dev is at 0.0.0: Post-migration validation failed: 'Touched collections match the expected catalog': " +
            "Sandbox fault: post-migration check 'post.catalog' was told to fail (armed by configuration)",
            Assert.Single(run.ErrorLines));
        Assert.Contains("ERROR Touched collections match the expected catalog: Sandbox fault: ", run.Out);
        Assert.Contains("Rolled back: dev is at 0.0.0 and its catalog is as it was before the run", run.Out);
    }

    [Fact]
    public async Task Up_whose_validation_fails_on_a_target_that_does_not_roll_back_leaves_it_says_so_and_exits_1()
    {
        var run = await Run(new Dictionary<string, string?>
        {
            ["Sandbox:Targets:dev:Faults:FailPostCheck"] = "post.catalog",
            ["Sandbox:Targets:dev:RollBackOnFailedValidation"] = "false",
        }, "up", "--sandbox", "--target", "dev", "--to", "1.1.0");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("If the validation fails, its changes are left in place (RollBackOnFailedValidation is off for dev).", run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("Post-migration validation failed: 'Touched collections match the expected catalog': ", line);
        Assert.EndsWith(
            ". up was not rolled back (RollBackOnFailedValidation is off): dev is at 1.1.0 with its changes in place; take it back with 'down --target dev --to 0.0.0' or repair it by hand.",
            line);
        Assert.DoesNotContain("Rolled back", run.Out);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Help_lists_every_command(string help)
    {
        var run = await Run(help);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("BotCore Migration Portal", run.Out);
        Assert.All(
            ["list", "plan [--from V]", "catalog --version V", "status --target T", "up --target T", "down --target T --to V", "drift --target T", "rehearse (--target T | --sandbox",
                "baseline --target T", "users add --name N --role R", "users list"],
            usage => Assert.Contains($"  {usage}", run.Out));
    }

    [Theory]
    [InlineData("plan", "plan [--from V] [--to V] [--json]")]
    [InlineData("catalog", "catalog --version V [--json]")]
    public async Task Help_of_a_command_shows_its_usage(string verb, string usage)
    {
        var run = await Run(verb, "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains($"Synopsis: {usage}", run.Out);
    }
}
