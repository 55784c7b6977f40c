using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Engine;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>Walking the winning plan of explain replies, shaped as MongoDB 7 writes them.</summary>
public sealed class ExplainPlanTests
{
    [Fact]
    public void An_index_scan_under_limit_and_fetch_is_found()
    {
        var plan = Plan("""
            { stage: "LIMIT", limitAmount: 10, inputStage: {
                stage: "FETCH", inputStage: {
                  stage: "IXSCAN", keyPattern: { symbol: 1, timestamp: -1 }, indexName: "idx_ai_analysis_symbol_timestamp", direction: "forward" } } }
            """);

        Assert.True(plan.IsIndexed);
        Assert.False(plan.HasCollectionScan);
        Assert.Equal(["idx_ai_analysis_symbol_timestamp"], plan.IndexNames);
        Assert.Equal("LIMIT > FETCH > IXSCAN idx_ai_analysis_symbol_timestamp", plan.ToString());
    }

    [Fact]
    public void An_index_scan_under_a_blocking_sort_still_uses_the_index()
    {
        var plan = Plan("""
            { stage: "SORT", sortPattern: { created_at: -1 }, memLimit: 104857600, limitAmount: 10, type: "simple", inputStage: {
                stage: "FETCH", inputStage: { stage: "IXSCAN", keyPattern: { user_id: 1 }, indexName: "idx_user" } } }
            """);

        Assert.True(plan.IsIndexed);
        Assert.Equal("SORT > FETCH > IXSCAN idx_user", plan.ToString());
    }

    [Fact]
    public void A_collection_scan_fails()
    {
        var plan = Plan("""
            { stage: "SORT", sortPattern: { timestamp: -1 }, memLimit: 104857600, limitAmount: 10, type: "simple", inputStage: {
                stage: "COLLSCAN", filter: { symbol: { $eq: "BTCUSDT" } }, direction: "forward" } }
            """);

        Assert.False(plan.UsesIndexScan);
        Assert.True(plan.HasCollectionScan);
        Assert.False(plan.IsIndexed);
        Assert.Equal("SORT > COLLSCAN", plan.ToString());
    }

    [Fact]
    public void Every_branch_of_an_or_is_walked_and_one_collection_scan_among_index_scans_fails()
    {
        var indexed = Plan("""
            { stage: "SUBPLAN", inputStage: { stage: "FETCH", inputStage: { stage: "OR", inputStages: [
                { stage: "IXSCAN", indexName: "a_1" }, { stage: "IXSCAN", indexName: "b_1" } ] } } }
            """);
        var mixed = Plan("""
            { stage: "OR", inputStages: [ { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "a_1" } }, { stage: "COLLSCAN" } ] }
            """);

        Assert.True(indexed.IsIndexed);
        Assert.Equal(["a_1", "b_1"], indexed.IndexNames);
        Assert.Equal("SUBPLAN > FETCH > OR(IXSCAN a_1 | IXSCAN b_1)", indexed.ToString());
        Assert.True(mixed.UsesIndexScan);
        Assert.False(mixed.IsIndexed);
        Assert.Equal("OR(FETCH > IXSCAN a_1 | COLLSCAN)", mixed.ToString());
    }

    [Fact]
    public void The_slot_based_engine_wrapper_and_the_shards_of_a_cluster_are_looked_into()
    {
        var slotBased = Plan("""
            { queryPlan: { stage: "LIMIT", planNodeId: 3, inputStage: { stage: "FETCH", planNodeId: 2, inputStage: { stage: "IXSCAN", planNodeId: 1, indexName: "idx_trades_user_created" } } },
              slotBasedPlan: { slots: "$$RESULT=s11", stages: "[3] limit 10 ..." } }
            """);
        var sharded = Plan("""
            { stage: "SHARD_MERGE_SORT", shards: [
                { shardName: "rs0", winningPlan: { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "idx_trades_user_created" } } },
                { shardName: "rs1", winningPlan: { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "idx_trades_user_created" } } } ] }
            """);

        Assert.True(slotBased.IsIndexed);
        Assert.Equal("LIMIT > FETCH > IXSCAN idx_trades_user_created", slotBased.ToString());
        Assert.True(sharded.IsIndexed);
        Assert.Equal(3, sharded.Stages.Count(s => s.Name != "IXSCAN"));
    }

    [Fact]
    public void A_field_named_stage_in_a_filter_is_not_taken_for_a_plan_stage()
    {
        var plan = Plan("""{ stage: "COLLSCAN", filter: { stage: { $eq: "IXSCAN" } }, direction: "forward" }""");

        Assert.Equal(["COLLSCAN"], plan.Stages.Select(s => s.Name));
    }

    [Fact]
    public void A_reply_without_a_winning_plan_is_refused_with_what_it_was()
    {
        var e = Assert.Throws<MigrationEngineException>(() => ExplainPlan.FromExplain(BsonDocument.Parse("{ ok: 1 }")));

        Assert.Contains("queryPlanner.winningPlan", e.Message);
    }

    private static ExplainPlan Plan(string winningPlan) =>
        ExplainPlan.FromExplain(new BsonDocument
        {
            { "explainVersion", "1" },
            { "queryPlanner", new BsonDocument { { "namespace", "db.c" }, { "winningPlan", BsonDocument.Parse(winningPlan) }, { "rejectedPlans", new BsonArray() } } },
            { "command", new BsonDocument("find", "c") },
            { "ok", 1.0 },
        });
}
