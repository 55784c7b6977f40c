using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>
/// The checks against a simulated target: those that need documents or a database command could not run, so they are
/// simulated (never passed) and say why; those that read the catalog really check the simulated one.
/// </summary>
public sealed class SandboxChecksTests
{
    private const string NoDocuments = "sandbox: the simulated database holds no documents";
    private readonly EngineHarness engine = new();
    private readonly IntegrityChecks checks = Integrity();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Before_0_0_0_to_1_3_0_every_document_check_is_simulated_saying_there_are_no_documents_and_the_email_index_does_not_apply_yet()
    {
        var plan = Plan("0.0.0", "1.3.0");

        var results = await checks.RunPreMigrationAsync(engine.Sandbox(), plan, Token);

        Assert.Equal(checks.Describe(plan).Where(c => c.Phase == CheckPhase.PreMigration).Select(c => c.Id), results.Select(r => r.CheckId));
        Assert.All(results.Where(r => r.CheckId != "pre.email-index"), r => Assert.Equal((CheckOutcome.Simulated, NoDocuments, false), (r.Outcome, r.Summary, r.Blocks)));
        Assert.Equal(CheckOutcome.Passed, Single(results, "pre.email-index").Outcome);
        Assert.Equal("does not apply: the plan starts at 0.0.0, before 1.0.0 creates users.idx_users_email_unique", Single(results, "pre.email-index").Summary);
        Assert.All(results, r => Assert.True(r.Duration >= TimeSpan.Zero));
    }

    [Fact]
    public async Task The_email_index_check_reads_the_simulated_catalog()
    {
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var plan = Plan("1.2.0", "1.3.0");

        var present = await checks.RunOneAsync("pre.email-index", target, plan, Token);
        await DropAsync(target, "users", "idx_users_email_unique");
        var missing = await checks.RunOneAsync("pre.email-index", target, plan, Token);

        Assert.True(present.Passed);
        Assert.Equal("users.idx_users_email_unique is in place", present.Summary);
        Assert.False(missing.Passed);
        Assert.True(missing.Blocks);
        Assert.Equal("users.idx_users_email_unique is missing", missing.Summary);
        Assert.Contains(missing.Evidence, line => line.Contains("\"unique\" : true"));
    }

    [Fact]
    public async Task After_a_simulated_run_the_catalog_and_version_are_checked_and_explain_and_validate_say_they_are_simulated()
    {
        var target = engine.Sandbox();
        var plan = Plan("0.0.0", "1.3.0");
        var before = await checks.CountAsync(target, plan, Token);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);

        var results = await checks.RunPostMigrationAsync(target, plan, before, Token);

        Assert.Empty(before.Documents);
        Assert.All(results, r => Assert.False(r.Failed, $"{r.CheckId}: {r.Summary}"));
        Assert.Equal(["post.schema-version", "post.catalog"], results.Where(r => r.Passed).Select(r => r.CheckId));
        Assert.All(results.Where(r => !r.Passed), r => Assert.Equal(("simulated", false), (r.Verdict, r.Blocks)));
        Assert.Equal("the schema version is 1.3.0", Single(results, "post.schema-version").Summary);
        var catalog = Single(results, "post.catalog");
        Assert.StartsWith("the 11 touched collections match the expected catalog of 1.3.0", catalog.Summary);
        Assert.Contains("risk_metrics: matches the expected catalog", catalog.Evidence);
        Assert.StartsWith("simulated:", Single(results, "post.validate").Summary);
        Assert.StartsWith("simulated:", Single(results, "post.explain:1.0.0#1").Summary);
        Assert.StartsWith("simulated:", Single(results, "post.explain:1.2.0#1").Summary);
        Assert.Equal(NoDocuments, Single(results, "post.document-counts").Summary);
        Assert.Equal(NoDocuments, Single(results, "post.confidence-range").Summary);
    }

    [Fact]
    public async Task After_a_run_that_did_not_happen_the_version_and_catalog_checks_fail_and_block()
    {
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);
        var plan = Plan("1.2.0", "1.3.0");

        var results = await checks.RunPostMigrationAsync(target, plan, await checks.CountAsync(target, plan, Token), Token);

        var version = Single(results, "post.schema-version");
        Assert.True(version.Blocks);
        Assert.Equal("the schema version is 1.2.0, expected 1.3.0", version.Summary);
        var catalog = Single(results, "post.catalog");
        Assert.True(catalog.Blocks);
        Assert.Contains(catalog.Evidence, line => line.StartsWith("risk_metrics: collection risk_metrics is missing", StringComparison.Ordinal));
        Assert.Contains(catalog.Evidence, line => line.StartsWith("positions: informational: collection positions is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counting_a_simulated_target_finds_each_existing_touched_collection_empty()
    {
        var target = engine.Sandbox();
        Assert.True((await engine.MigrateAsync(target, "1.2.0", cancellationToken: Token)).Succeeded);

        var before = await checks.CountAsync(target, Plan("1.2.0", "1.3.0"), Token);
        Assert.True((await engine.MigrateAsync(target, "1.3.0", cancellationToken: Token)).Succeeded);
        var after = await checks.CountAsync(target, Plan("1.3.0", "1.2.0"), Token);

        // Before, none of the three collections 1.3.0 touches exists (the application's two are ensured by 1.3.0 itself).
        Assert.Empty(before.Documents);
        Assert.Equal(new Dictionary<string, long> { ["portfolio_snapshots"] = 0, ["positions"] = 0, ["risk_metrics"] = 0 }, after.Documents);
    }

    [Fact]
    public async Task An_unknown_check_is_refused_with_the_plan_it_was_asked_for()
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() => checks.RunOneAsync("pre.nothing", engine.Sandbox(), Plan("0.0.0", "1.0.0"), Token));

        Assert.Equal("There is no integrity check 'pre.nothing' for the plan 0.0.0 → 1.0.0.", e.Message);
    }

    [Fact]
    public async Task A_check_that_cannot_run_fails_with_the_reason_instead_of_passing()
    {
        var target = new UnreadableTarget(engine.Sandbox());

        var result = await checks.RunOneAsync("pre.orphaned-trades", target, Plan("0.0.0", "1.0.0"), Token);

        Assert.False(result.Passed);
        Assert.True(result.Blocks);
        Assert.Contains("gives no access to a MongoDB database", result.Summary);
    }

    /// <summary>Removes an index from the simulated catalog, as a DBA's dropIndex would from a real one.</summary>
    private static async Task DropAsync(SandboxMigrationTarget target, string collection, string index)
    {
        var catalog = await target.ReadCatalogAsync(Token);
        var definition = catalog.Get(collection).Indexes[index];
        var reporter = new StepReporter(new RecordingProgress(), TimeProvider.System, "manual", "up", 1, 1);
        await target.ExecuteStepAsync(new DropIndexStep(collection, definition), new DropIndexStep(collection, definition).Apply(catalog),
            new StepExecution("manual", "manual", reporter, new BatchOptions(100, 0)), Token);
    }

    /// <summary>A real (not simulated) target that is not a MongoDB database the checks can read.</summary>
    private sealed class UnreadableTarget(SandboxMigrationTarget inner) : ForwardingTarget(inner)
    {
        public override string Name => "unreadable";
        public override TargetTier Tier => TargetTier.Development;
        public override bool IsSandbox => false;
        public override string Address => "nowhere";
    }
}
