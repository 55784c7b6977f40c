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

    [Theory]
    [InlineData("IXSCAN", "idx_a")]
    [InlineData("EXPRESS_IXSCAN", "idx_a")]
    [InlineData("COUNT_SCAN", "idx_a")]
    [InlineData("DISTINCT_SCAN", "idx_a")]
    [InlineData("IDHACK", "_id_")]
    public void Each_stage_that_reads_an_index_counts_as_an_index_scan(string stage, string index)
    {
        var plan = Plan(stage == "IDHACK" ? """{ stage: "IDHACK" }""" : $$"""{ stage: "{{stage}}", keyPattern: { a: 1 }, indexName: "idx_a" }""");

        Assert.True(plan.IsIndexed);
        Assert.Equal([index], plan.IndexNames);
    }

    [Fact]
    public void A_clustered_index_scan_is_a_scan_of_the_collection_not_of_an_index()
    {
        var plan = Plan("""
            { stage: "FETCH", inputStage: { stage: "CLUSTERED_IXSCAN", filter: { "control.max.t": { $_internalExprGte: { $date: "2024-01-01T00:00:00Z" } } },
              direction: "forward", minRecord: { $oid: "6590fe800000000000000000" } } }
            """);

        Assert.False(plan.UsesIndexScan);
        Assert.True(plan.HasCollectionScan);
        Assert.Equal(["CLUSTERED_IXSCAN"], plan.CollectionScanNames);
    }

    [Fact]
    public void A_stage_whose_name_merely_ends_in_IXSCAN_is_not_taken_for_an_index_scan()
    {
        var plan = Plan("""{ stage: "EXPRESS_CLUSTERED_IXSCAN", keyPattern: { _id: 1 } }""");

        Assert.False(plan.UsesIndexScan);
        Assert.False(plan.IsIndexed);
    }

    [Fact]
    public void A_find_on_a_time_series_collection_is_read_from_the_cursor_stage_of_its_aggregation()
    {
        var explain = BsonDocument.Parse("""
            { explainVersion: "1",
              stages: [
                { $cursor: { queryPlanner: { namespace: "db.system.buckets.market_data", winningPlan: { stage: "FETCH", inputStage: {
                    stage: "IXSCAN", keyPattern: { meta: 1, "control.min.open_time": 1, "control.max.open_time": 1 }, indexName: "symbol_1_open_time_1" } },
                  rejectedPlans: [] } } },
                { $_internalUnpackBucket: { include: ["open_time", "symbol", "close"], timeField: "open_time", metaField: "symbol", bucketMaxSpanSeconds: 86400 } },
                { $sort: { sortKey: { open_time: -1 }, limit: 10 } } ],
              command: { aggregate: "system.buckets.market_data" }, ok: 1 }
            """);

        var plan = ExplainPlan.FromExplain(explain);

        Assert.True(plan.IsIndexed);
        Assert.Equal(["symbol_1_open_time_1"], plan.IndexNames);
        Assert.Equal("FETCH > IXSCAN symbol_1_open_time_1", plan.ToString());
    }

    [Fact]
    public void A_find_on_a_time_series_collection_through_mongos_is_read_from_each_shard_of_its_aggregation()
    {
        // mongos' explain of an aggregation: shards is a document keyed by shard name, each with its own stages (or, when the
        // whole pipeline ran in the slot-based engine, its own queryPlanner).
        var explain = BsonDocument.Parse("""
            { mergeType: "mongos", splitPipeline: { shardsPart: [], mergerPart: [ { $mergeCursors: {} } ] },
              shards: {
                shard0: { host: "shard0-a:27018", explainVersion: "1", stages: [
                  { $cursor: { queryPlanner: { namespace: "db.system.buckets.market_data", winningPlan: { stage: "FETCH", inputStage: {
                      stage: "IXSCAN", indexName: "symbol_1_open_time_1" } }, rejectedPlans: [] } } },
                  { $_internalUnpackBucket: { timeField: "open_time", metaField: "symbol" } } ] },
                shard1: { host: "shard1-a:27018", explainVersion: "2", queryPlanner: { namespace: "db.system.buckets.market_data",
                  winningPlan: { queryPlan: { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "symbol_1_open_time_1" } }, slotBasedPlan: {} },
                  rejectedPlans: [] } } },
              ok: 1 }
            """);

        var plan = ExplainPlan.FromExplain(explain);

        Assert.True(plan.IsIndexed);
        Assert.Equal(["symbol_1_open_time_1"], plan.IndexNames);
        Assert.Equal("SHARD_MERGE(FETCH > IXSCAN symbol_1_open_time_1 | FETCH > IXSCAN symbol_1_open_time_1)", plan.ToString());
    }

    [Fact]
    public void A_shard_of_a_mongos_aggregation_explain_that_scans_the_buckets_fails_the_plan()
    {
        var explain = BsonDocument.Parse("""
            { mergeType: "mongos", shards: {
                shard0: { stages: [ { $cursor: { queryPlanner: { winningPlan: { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "a_1" } } } } } ] },
                shard1: { stages: [ { $cursor: { queryPlanner: { winningPlan: { stage: "COLLSCAN" } } } } ] } },
              ok: 1 }
            """);

        var plan = ExplainPlan.FromExplain(explain);

        Assert.False(plan.IsIndexed);
        Assert.Equal(["COLLSCAN"], plan.CollectionScanNames);
    }

    [Fact]
    public void A_reply_without_a_winning_plan_is_refused_with_what_it_was()
    {
        var e = Assert.Throws<MigrationEngineException>(() => ExplainPlan.FromExplain(BsonDocument.Parse("{ stages: [ { $match: {} } ], ok: 1 }")));

        Assert.Contains("queryPlanner.winningPlan", e.Message);
        Assert.Contains("$match", e.Message);
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
