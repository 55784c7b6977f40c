using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Planning;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Mongosh;

/// <summary>A plan's script: the steps' own statements in the order they run, labelled as the run log labels them.</summary>
public sealed partial class MongoshScriptTests
{
    private static readonly MigrationPlanner Planner = new(Registry);

    private static string Script(string from, string to) => MongoshScript.For(Planner.Plan(V(from), V(to)), new BatchOptions(), ["run run-1 on dev"]);

    [Fact]
    public void The_up_of_1_3_0_lists_its_six_steps_in_order_after_one_batching_helper()
    {
        var script = Script("1.2.0", "1.3.0");

        Assert.StartsWith("// run run-1 on dev\n// 1.2.0 → 1.3.0 (up): the commands the steps send, in the order they run.\n", script);
        Assert.Single(Regex.Matches(script, "^function inBatches", RegexOptions.Multiline));
        Assert.Equal(
            [
                "// [1/6] create collection risk_metrics with validator",
                "// [2/6] create index risk_metrics.idx_risk_metrics_user_time { \"user_id\" : 1, \"timestamp\" : -1 }",
                "// [3/6] ensure collection positions exists (the application's: never dropped)",
                "// [4/6] add metadata.var_contribution, metadata.correlation_score, metadata.concentration_risk with defaults to positions where missing, " +
                "creating metadata where missing and leaving documents whose metadata is not an object",
                "// [5/6] ensure collection portfolio_snapshots exists (the application's: never dropped)",
                "// [6/6] add var_95, var_99, expected_shortfall with defaults to portfolio_snapshots where missing",
            ], StepLabels(script));
        Assert.Contains("""
            db.getCollection("risk_metrics").createIndex({ "user_id" : 1, "timestamp" : -1 }, { "name" : "idx_risk_metrics_user_time" });
            """, script);
        Assert.Contains("""update: { "$set" : { "metadata.var_contribution" : NumberDecimal("0.00") } }""", script);
    }

    [Fact]
    public void The_down_of_1_3_0_is_the_derived_inverse_in_reverse_order()
    {
        var script = Script("1.3.0", "1.2.0");

        Assert.Equal(
            [
                "// [1/6] remove var_95, var_99, expected_shortfall from portfolio_snapshots where they still hold their defaults",
                "// [2/6] leave collection portfolio_snapshots in place (the application's)",
                "// [3/6] remove metadata.var_contribution, metadata.correlation_score, metadata.concentration_risk from positions where they still hold " +
                "their defaults, and metadata where the addition created it and it is empty again",
                "// [4/6] leave collection positions in place (the application's)",
                "// [5/6] drop index risk_metrics.idx_risk_metrics_user_time",
                "// [6/6] drop collection risk_metrics (its documents are lost)",
            ], StepLabels(script));
        Assert.EndsWith("""
            db.getCollection("risk_metrics").dropIndex("idx_risk_metrics_user_time");
            // [6/6] drop collection risk_metrics (its documents are lost)
            db.getCollection("risk_metrics").drop();

            """.ReplaceLineEndings("\n"), script);
    }

    [Fact]
    public void A_plan_without_data_steps_has_no_batching_helper()
    {
        Assert.DoesNotContain("function inBatches", Script("1.1.0", "1.2.0"));
    }

    [Fact]
    public void Several_migrations_follow_each_other_each_under_its_own_heading()
    {
        var script = Script("1.3.0", "1.1.0");

        Assert.True(script.IndexOf("// 1.3.0 down: Enhanced risk metrics", StringComparison.Ordinal) <
            script.IndexOf("// 1.2.0 down: AI analysis caching", StringComparison.Ordinal));
    }

    private static List<string> StepLabels(string script) => script.Split('\n').Where(line => StepLabel().IsMatch(line)).ToList();

    [GeneratedRegex(@"^// \[\d+/\d+\] ")]
    private static partial Regex StepLabel();
}
