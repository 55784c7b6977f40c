using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Tests.Support;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed class MigrationPlannerTests
{
    private static readonly MigrationPlanner Planner = new(Registry);

    private static MigrationPlan Plan(string from, string to, TargetHistory? history = null) => Planner.Plan(V(from), V(to), history);

    [Fact]
    public void From_nothing_to_the_latest_applies_the_four_migrations_up_in_order()
    {
        var plan = Plan("0.0.0", "1.3.0");

        Assert.Equal(Direction.Up, plan.Direction);
        Assert.False(plan.IsEmpty);
        Assert.Equal(
            [("1.0.0", "0.0.0", "1.0.0"), ("1.1.0", "1.0.0", "1.1.0"), ("1.2.0", "1.1.0", "1.2.0"), ("1.3.0", "1.2.0", "1.3.0")],
            plan.Migrations.Select(m => (m.Version.ToString(), m.From.ToString(), m.To.ToString())));
        Assert.All(plan.Migrations, m => Assert.Equal(Direction.Up, m.Direction));
        Assert.Equal(Registry.Migrations.Select(m => m.Checksum), plan.Checksums);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    [InlineData("1.2.0")]
    [InlineData("1.3.0")]
    public void Going_up_runs_the_steps_of_the_migration_in_declared_order(string version)
    {
        var planned = Assert.Single(Plan(Registry.Previous(V(version)).ToString(), version).Migrations);

        Assert.Equal(MigrationAt(version).Steps, planned.Steps.Select(s => s.Step));
        Assert.Equal(Enumerable.Range(1, planned.Steps.Count), planned.Steps.Select(s => s.Number));
    }

    public static TheoryData<string, string> Ranges => new()
    {
        { "0.0.0", "1.3.0" },
        { "1.1.0", "1.3.0" },
        { "1.3.0", "1.1.0" },
        { "1.3.0", "0.0.0" },
        { "1.2.0", "1.0.0" },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Each_planned_migration_leads_from_the_expected_catalog_of_its_start_to_that_of_its_end(string from, string to)
    {
        foreach (var migration in Plan(from, to).Migrations)
        {
            // A down starts where an earlier down may have left the application's collections, and leaves its own.
            var expectedFrom = Registry.ExpectedCatalogAt(migration.From);
            var expectedTo = Registry.ExpectedCatalogAt(migration.To);
            Assert.Equal(expectedFrom, migration.Steps[0].CatalogBefore.LeftBehindRemoved(expectedFrom));
            Assert.Equal(expectedTo, migration.Steps[^1].CatalogAfter.WithVersion(migration.To).LeftBehindRemoved(expectedTo));
            Assert.All(migration.Steps.Skip(1).Zip(migration.Steps), pair => Assert.Equal(pair.Second.CatalogAfter, pair.First.CatalogBefore));
            Assert.All(migration.Steps, s => Assert.Equal(s.Step.Apply(s.CatalogBefore), s.CatalogAfter));
        }
    }

    [Fact]
    public void Going_down_from_1_3_0_to_1_1_0_undoes_1_3_0_then_1_2_0()
    {
        var plan = Plan("1.3.0", "1.1.0");

        Assert.Equal(Direction.Down, plan.Direction);
        Assert.Equal(
            [("1.3.0", "1.3.0", "1.2.0"), ("1.2.0", "1.2.0", "1.1.0")],
            plan.Migrations.Select(m => (m.Version.ToString(), m.From.ToString(), m.To.ToString())));
        Assert.All(plan.Migrations, m => Assert.Equal(Direction.Down, m.Direction));
    }

    [Fact]
    public void The_down_of_1_2_0_drops_in_the_reverse_order_of_its_up()
    {
        var down = Plan("1.2.0", "1.1.0").Migrations.Single();

        Assert.Equal(
        [
            "drop index ai_signals.idx_ai_signals_id_unique",
            "drop collection ai_signals (its documents are lost)",
            "drop index ai_analysis_results.idx_ai_analysis_ttl",
            "drop index ai_analysis_results.idx_ai_analysis_signal_confidence",
            "drop index ai_analysis_results.idx_ai_analysis_symbol_timestamp",
            "drop collection ai_analysis_results (its documents are lost)",
        ], down.Steps.Select(s => s.Step.Description));
    }

    [Fact]
    public void The_down_of_1_3_0_removes_its_fields_and_leaves_the_applications_collections()
    {
        var steps = Plan("1.3.0", "1.2.0").Migrations.Single().Steps.Select(s => s.Step).ToList();

        Assert.Equal(
            [typeof(RemoveFieldsStep), typeof(LeaveCollectionStep), typeof(RemoveFieldsStep), typeof(LeaveCollectionStep), typeof(DropIndexStep), typeof(DropCollectionStep)],
            steps.Select(s => s.GetType()));
        var snapshotFields = Assert.IsType<RemoveFieldsStep>(steps[0]);
        Assert.Equal("portfolio_snapshots", snapshotFields.CollectionName);
        Assert.Equal(["var_95", "var_99", "expected_shortfall"], snapshotFields.Fields.Names);
        Assert.Equal("portfolio_snapshots", Assert.IsType<LeaveCollectionStep>(steps[1]).Name);
        var positionFields = Assert.IsType<RemoveFieldsStep>(steps[2]);
        Assert.Equal("positions", positionFields.CollectionName);
        Assert.Equal(["metadata.var_contribution", "metadata.correlation_score", "metadata.concentration_risk"], positionFields.Fields.Names);
        Assert.Equal("positions", Assert.IsType<LeaveCollectionStep>(steps[3]).Name);
        var dropRiskMetrics = Assert.IsType<DropCollectionStep>(steps[5]);
        Assert.Equal(("risk_metrics", false), (dropRiskMetrics.Collection.Name, dropRiskMetrics.OnlyIfEmpty));
    }

    [Fact]
    public void The_down_of_1_1_0_deletes_the_paper_accounts_before_dropping_their_collection()
    {
        var descriptions = Plan("1.1.0", "1.0.0").Migrations.Single().Steps.Select(s => s.Step.Description).ToList();

        Assert.Equal("delete the paper trading accounts that never traded (as 1.1.0 creates them)", descriptions[0]);
        Assert.Equal("drop collection paper_trading_accounts (its documents are lost)", descriptions[^1]);
    }

    [Fact]
    public void The_down_of_1_0_0_ends_by_dropping_users_and_leaves_no_collection_of_its_own()
    {
        var down = Plan("1.0.0", "0.0.0").Migrations.Single();

        Assert.Equal(
        [
            "drop collection market_data (its documents are lost)",
            "drop index trades.idx_trades_ttl",
            "drop index trades.idx_trades_user_created",
            "drop collection trades (its documents are lost)",
            "drop index users.idx_users_email_unique",
            "drop collection users (its documents are lost)",
        ], down.Steps.Select(s => s.Step.Description));
        var last = down.Steps[^1];
        Assert.Equal("users", Assert.IsType<DropCollectionStep>(last.Step).Collection.Name);
        Assert.Empty(last.CatalogAfter.Collections);
    }

    [Fact]
    public void Going_down_from_the_latest_to_nothing_drops_every_collection_of_the_migrations_and_none_of_the_applications()
    {
        var plan = Plan("1.3.0", "0.0.0");

        Assert.Equal(["1.3.0", "1.2.0", "1.1.0", "1.0.0"], plan.Migrations.Select(m => m.Version.ToString()));
        Assert.Empty(plan.Migrations[^1].Steps[^1].CatalogAfter.Collections);
        Assert.Equal(["portfolio_history", "portfolio_snapshots", "positions"], plan.ApplicationOwnedCollections.Order(StringComparer.Ordinal));
        var drops = plan.Migrations.SelectMany(m => m.Steps).Select(s => s.Step).OfType<DropCollectionStep>().Select(d => d.Collection.Name).ToList();
        Assert.Empty(drops.Intersect(plan.ApplicationOwnedCollections));
        Assert.Equal(3, plan.Migrations.SelectMany(m => m.Steps).Count(s => s.Step is LeaveCollectionStep));
    }

    [Theory]
    [InlineData("0.0.0")]
    [InlineData("1.0.0")]
    [InlineData("1.3.0")]
    public void Planning_to_the_version_one_is_at_plans_nothing(string version)
    {
        var plan = Plan(version, version);

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Migrations);
        Assert.Empty(plan.Checksums);
    }

    [Theory]
    [InlineData("0.0.0", "1.4.0")]
    [InlineData("1.3.0", "1.2.5")]
    public void An_unknown_target_version_is_bad_input(string from, string to)
    {
        var error = Assert.Throws<BadInputException>(() => Plan(from, to));

        Assert.Contains($"Unknown requested version {to}", error.Message);
    }

    [Fact]
    public void An_unknown_starting_version_is_bad_input_when_planning_on_paper()
    {
        var error = Assert.Throws<BadInputException>(() => Plan("0.5.0", "1.3.0"));

        Assert.Contains("Unknown starting version 0.5.0", error.Message);
    }

    [Fact]
    public void A_target_at_a_version_this_build_does_not_know_is_refused()
    {
        var error = Assert.Throws<PlanRefusedException>(() => Plan("1.4.0", "1.3.0", History("1.4.0")));

        Assert.Contains("1.4.0", error.Message);
        Assert.Contains("does not know", error.Message);
    }

    [Fact]
    public void A_target_with_a_gap_in_its_history_is_refused_naming_the_missing_version()
    {
        var history = History("1.2.0",
            Entry("1.0.0", "up", ChangelogEntry.Applied),
            Entry("1.1.0", "up", ChangelogEntry.Applied),
            Entry("1.2.0", "up", ChangelogEntry.Applied),
            Entry("1.1.0", "down", ChangelogEntry.Applied));

        var error = Assert.Throws<PlanRefusedException>(() => Plan("1.2.0", "1.3.0", history));

        Assert.Contains("gap", error.Message);
        Assert.Contains("1.1.0 is below the applied version", error.Message);
    }

    [Fact]
    public void A_target_where_an_applied_migration_was_modified_since_is_refused_naming_it_and_its_file()
    {
        var history = History("1.1.0",
            Entry("1.0.0", "up", ChangelogEntry.Applied, checksum: new string('a', 64)),
            Entry("1.1.0", "up", ChangelogEntry.Applied));

        var error = Assert.Throws<PlanRefusedException>(() => Plan("1.1.0", "1.3.0", history));

        Assert.Contains("Migration 1.0.0 (001_InitialSchema.cs)", error.Message);
        Assert.Contains("aaaaaaaaaaaa", error.Message);
        Assert.Contains(MigrationAt("1.0.0").ShortChecksum, error.Message);
    }

    [Fact]
    public void A_target_with_a_sound_history_is_planned_from_its_applied_version()
    {
        var history = History("1.1.0", Entry("1.0.0", "up", ChangelogEntry.Applied), Entry("1.1.0", "up", ChangelogEntry.Applied));

        var plan = Plan("1.1.0", "1.3.0", history);

        Assert.Equal(["1.2.0", "1.3.0"], plan.Migrations.Select(m => m.Version.ToString()));
    }

    [Fact]
    public void A_target_built_by_the_spec_scripts_is_refused_until_it_is_adopted()
    {
        var error = Assert.Throws<PlanRefusedException>(() => Plan("1.2.0", "1.3.0", History("1.2.0")));

        Assert.Contains("not adopted", error.Message);
        Assert.Contains("baseline --target", error.Message);
    }

    [Fact]
    public void An_adopted_target_is_planned_up_and_down_from_its_baseline()
    {
        var adopted = History("1.2.0",
            Entry("1.0.0", "up", ChangelogEntry.Baselined), Entry("1.1.0", "up", ChangelogEntry.Baselined), Entry("1.2.0", "up", ChangelogEntry.Baselined));

        Assert.Equal(["1.3.0"], Plan("1.2.0", "1.3.0", adopted).Migrations.Select(m => m.Version.ToString()));
        Assert.Equal(["1.2.0"], Plan("1.2.0", "1.1.0", adopted).Migrations.Select(m => m.Version.ToString()));
    }

    [Fact]
    public void The_changes_of_a_step_describe_what_it_does_to_the_catalog()
    {
        var steps = Plan("0.0.0", "1.0.0").Migrations.Single().Steps;

        var createUsers = Assert.Single(steps[0].Changes);
        Assert.Equal(DifferenceKind.MissingCollection, createUsers.Kind);
        Assert.StartsWith("creates collection users { \"type\" : \"collection\", \"options\" : { \"validator\" : { \"$jsonSchema\"", createUsers.DescribeAsChange());
        var createIndex = Assert.Single(steps[1].Changes);
        Assert.Equal(
            "creates index users.idx_users_email_unique { \"name\" : \"idx_users_email_unique\", \"key\" : { \"email\" : 1 }, \"unique\" : true }",
            createIndex.DescribeAsChange());
        Assert.Contains("\"expireAfterSeconds\" : 31536000", Assert.Single(steps[4].Changes).DescribeAsChange());
    }

    [Fact]
    public void The_changes_of_a_down_step_describe_drops()
    {
        var steps = Plan("1.0.0", "0.0.0").Migrations.Single().Steps;

        Assert.Equal(["drops index users.idx_users_email_unique"], steps[^2].Changes.Select(c => c.DescribeAsChange()));
        Assert.Equal(["drops collection users"], steps[^1].Changes.Select(c => c.DescribeAsChange()));
    }

    [Fact]
    public void A_data_step_changes_nothing_in_the_catalog()
    {
        var dataSteps = Plan("0.0.0", "1.3.0").Migrations.SelectMany(m => m.Steps).Where(s => s.Step.Kind == StepKind.Data).ToList();

        Assert.Equal(3, dataSteps.Count);
        Assert.All(dataSteps, s => Assert.Empty(s.Changes));
    }
}
