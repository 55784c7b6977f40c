using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>Which checks a plan calls for: one per unique index, validator, data step and critical query.</summary>
public sealed class PlanDerivedChecksTests
{
    [Fact]
    public void Without_a_plan_only_the_specs_fixed_checks_are_listed()
    {
        var checks = Integrity().Describe(null);

        Assert.Equal(["pre.orphaned-trades", "pre.trade-quantity", "pre.email-index"], Ids(checks, "pre."));
        Assert.Equal(["post.schema-version", "post.catalog", "post.validate", "post.document-counts", "post.confidence-range"], Ids(checks, "post."));
        Assert.All(checks.Where(c => c.Id.StartsWith("pre.", StringComparison.Ordinal)), c => Assert.Equal(CheckPhase.PreMigration, c.Phase));
        Assert.All(checks.Where(c => c.Id.StartsWith("post.", StringComparison.Ordinal)), c => Assert.Equal(CheckPhase.PostMigration, c.Phase));
    }

    [Fact]
    public void From_0_0_0_to_1_3_0_every_unique_index_validator_data_step_and_critical_query_has_a_check()
    {
        var checks = Integrity().Describe(Plan("0.0.0", "1.3.0"));

        Assert.Equal(
        [
            "pre.unique-index:users.idx_users_email_unique",
            "pre.unique-index:paper_trading_accounts.idx_paper_accounts_user_unique",
            "pre.unique-index:paper_trading_trades.idx_paper_trades_id_unique",
            "pre.unique-index:ai_signals.idx_ai_signals_id_unique",
        ], Ids(checks, "pre.unique-index:"));
        Assert.Equal(["pre.validator:1.0.0/up/1", "pre.validator:1.0.0/up/3", "pre.validator:1.1.0/up/1", "pre.validator:1.1.0/up/3",
            "pre.validator:1.2.0/up/1", "pre.validator:1.3.0/up/1"], Ids(checks, "pre.validator:"));
        Assert.Equal(["pre.data-step:1.1.0/up/7", "pre.data-step:1.3.0/up/4", "pre.data-step:1.3.0/up/6"], Ids(checks, "pre.data-step:"));
        Assert.Equal(["post.explain:1.0.0#1", "post.explain:1.2.0#1"], Ids(checks, "post.explain:"));

        Assert.Contains("(users)", Single(checks, "pre.data-step:1.1.0/up/7").Name);
        Assert.Contains("(positions)", Single(checks, "pre.data-step:1.3.0/up/4").Name);
        Assert.Contains("(portfolio_snapshots)", Single(checks, "pre.data-step:1.3.0/up/6").Name);
        Assert.Contains("users", Single(checks, "pre.validator:1.0.0/up/1").Name);
        Assert.Contains("risk_metrics", Single(checks, "pre.validator:1.3.0/up/1").Name);
        Assert.Contains("ai_analysis_results", Single(checks, "post.explain:1.2.0#1").Name);
    }

    [Fact]
    public void From_1_2_0_to_1_3_0_only_the_risk_metrics_validator_and_the_two_field_additions_are_checked_and_earlier_critical_queries_still_are()
    {
        var checks = Integrity().Describe(Plan("1.2.0", "1.3.0"));

        Assert.Empty(Ids(checks, "pre.unique-index:"));
        Assert.Equal(["pre.validator:1.3.0/up/1"], Ids(checks, "pre.validator:"));
        Assert.Equal(["pre.data-step:1.3.0/up/4", "pre.data-step:1.3.0/up/6"], Ids(checks, "pre.data-step:"));
        Assert.Equal(["post.explain:1.0.0#1", "post.explain:1.2.0#1"], Ids(checks, "post.explain:"));
    }

    [Fact]
    public void Severities_block_where_the_run_would_fail_or_data_would_be_refused_and_warn_where_they_inform()
    {
        var checks = Integrity().Describe(Plan("0.0.0", "1.3.0"));

        Assert.All(checks.Where(c => c.Id.StartsWith("pre.unique-index:", StringComparison.Ordinal) || c.Id.StartsWith("pre.validator:", StringComparison.Ordinal)),
            c => Assert.Equal(CheckSeverity.Blocking, c.Severity));
        Assert.All(checks.Where(c => c.Id.StartsWith("pre.data-step:", StringComparison.Ordinal)), c => Assert.Equal(CheckSeverity.Warning, c.Severity));
        Assert.Equal(CheckSeverity.Blocking, Single(checks, "pre.orphaned-trades").Severity);
        Assert.Equal(CheckSeverity.Blocking, Single(checks, "post.explain:1.2.0#1").Severity);
        Assert.Equal(CheckSeverity.Warning, Single(checks, "post.confidence-range").Severity);
    }

    [Fact]
    public void A_down_plan_checks_the_fields_it_removes_and_no_validator_or_index_it_drops()
    {
        var checks = Integrity().Describe(Plan("1.3.0", "1.2.0"));

        Assert.Empty(Ids(checks, "pre.unique-index:"));
        Assert.Empty(Ids(checks, "pre.validator:"));
        var dataSteps = checks.Where(c => c.Id.StartsWith("pre.data-step:1.3.0/down/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, dataSteps.Count);
        // Undoing added fields takes back only the values still at their default, and the check counts those.
        Assert.Contains(dataSteps, c => c.Name.Contains("(portfolio_snapshots)") && c.Description.Contains("have one of var_95, var_99, expected_shortfall at its default value"));
        Assert.Contains(dataSteps, c => c.Name.Contains("(positions)") && c.Description.Contains("have one of metadata.var_contribution"));
        // Back at 1.2.0, both critical queries still matter; at 0.0.0 none does.
        Assert.Equal(["post.explain:1.0.0#1", "post.explain:1.2.0#1"], Ids(checks, "post.explain:"));
        Assert.Empty(Ids(Integrity().Describe(Plan("1.3.0", "0.0.0")), "post.explain:"));
    }

    [Fact]
    public void A_set_validator_step_is_checked_with_its_action_and_a_remove_fields_step_counts_the_documents_that_have_them()
    {
        var registry = new MigrationRegistry([.. EngineHarness.Migrations.Migrations, RegisteredMigration.FromSource(new StricterUsers(), "// test")]);

        var checks = Integrity(registry).Describe(Plan("1.3.0", "1.4.0", registry));

        var strict = Single(checks, "pre.validator:1.4.0/up/1");
        Assert.Equal(CheckSeverity.Blocking, strict.Severity);
        Assert.Contains("users", strict.Name);
        Assert.Equal(CheckSeverity.Warning, Single(checks, "pre.validator:1.4.0/up/2").Severity);
        Assert.Empty(Ids(checks, "pre.validator:1.4.0/up/3"));
        Assert.Contains("have one of legacy_flag, which", Single(checks, "pre.data-step:1.4.0/up/4").Description);
    }

    private static CheckDescriptor Single(IEnumerable<CheckDescriptor> checks, string id) => Assert.Single(checks, c => c.Id == id);

    /// <summary>A later migration that tightens validators (one only warns), removes one, and drops a field.</summary>
    private sealed class StricterUsers() : Migration("1.4.0", "stricter users")
    {
        public override IReadOnlyList<IMigrationStep> Steps { get; } =
        [
            new SetValidatorStep("users", BsonDocument.Parse("{ $jsonSchema: { bsonType: 'object', required: ['email', 'password_hash', 'created_at', 'is_active'] } }")),
            new SetValidatorStep("trades", BsonDocument.Parse("{ quantity: { $gt: 0 } }"), ValidationAction: "warn"),
            new SetValidatorStep("positions", null),
            new RemoveFieldsStep("users", BsonDocument.Parse("{ legacy_flag: false }")),
        ];
    }
}
