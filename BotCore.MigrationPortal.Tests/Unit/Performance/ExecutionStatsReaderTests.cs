using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Performance;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>
/// Reading explain replies at verbosity executionStats. The first two replies are the MongoDB manual's own, from "Analyze Query
/// Performance" (docs/manual/tutorial/analyze-query-plan: inventory.find({ quantity: { $gte: 100, $lte: 200 } }), before and after
/// createIndex({ quantity: 1 })), with the parts the manual elides ("...") left out; the time-series one is shaped as the server's
/// aggregation explain (stages[0].$cursor).
/// </summary>
public sealed class ExecutionStatsReaderTests
{
    [Fact]
    public void The_manuals_collection_scan_reads_as_ten_documents_examined_for_three_returned()
    {
        var stats = ExecutionStatsReader.Read(BsonDocument.Parse("""
            {
              "queryPlanner" : { "plannerVersion" : 1, "winningPlan" : { "stage" : "COLLSCAN" } },
              "executionStats" : {
                "executionSuccess" : true, "nReturned" : 3, "executionTimeMillis" : 0, "totalKeysExamined" : 0, "totalDocsExamined" : 10,
                "executionStages" : { "stage" : "COLLSCAN" }
              },
              "ok" : 1
            }
            """));

        Assert.Equal((0L, 10L, 3L, 0L), (stats.KeysExamined, stats.DocsExamined, stats.Returned, stats.ExecutionMillis));
        Assert.Empty(stats.Indexes);
        Assert.True(stats.CollectionScan);
        Assert.Equal("COLLSCAN", stats.Access);
    }

    [Fact]
    public void The_manuals_index_scan_reads_with_its_index_and_plan()
    {
        var stats = ExecutionStatsReader.Read(BsonDocument.Parse("""
            {
              "queryPlanner" : { "plannerVersion" : 1, "winningPlan" : { "stage" : "FETCH",
                "inputStage" : { "stage" : "IXSCAN", "keyPattern" : { "quantity" : 1 }, "indexName" : "quantity_1" } } },
              "executionStats" : {
                "executionSuccess" : true, "nReturned" : 3, "executionTimeMillis" : 0, "totalKeysExamined" : 3, "totalDocsExamined" : 3,
                "executionStages" : { "stage" : "FETCH", "nReturned" : 3, "docsExamined" : 3, "inputStage" : { "stage" : "IXSCAN", "keysExamined" : 3 } }
              },
              "ok" : 1
            }
            """));

        Assert.Equal((3L, 3L, 3L, 0L), (stats.KeysExamined, stats.DocsExamined, stats.Returned, stats.ExecutionMillis));
        Assert.Equal(["quantity_1"], stats.Indexes);
        Assert.False(stats.CollectionScan);
        Assert.Equal("FETCH > IXSCAN quantity_1", stats.Plan);
        Assert.Equal("IXSCAN quantity_1", stats.Access);
    }

    [Fact]
    public void Large_counts_written_as_int64_read()
    {
        var stats = ExecutionStatsReader.Read(BsonDocument.Parse("""
            { "queryPlanner" : { "winningPlan" : { "stage" : "COLLSCAN" } },
              "executionStats" : { "nReturned" : 10, "executionTimeMillis" : 15312, "totalKeysExamined" : 0, "totalDocsExamined" : { "$numberLong" : "10452305" } } }
            """));

        Assert.Equal(10_452_305, stats.DocsExamined);
        Assert.Equal(15_312, stats.ExecutionMillis);
    }

    [Fact]
    public void A_time_series_find_explained_as_an_aggregation_reads_from_its_cursor_stage()
    {
        var stats = ExecutionStatsReader.Read(BsonDocument.Parse("""
            { "explainVersion" : "1", "stages" : [
                { "$cursor" : {
                    "queryPlanner" : { "namespace" : "botcore.system.buckets.market_data", "winningPlan" : { "stage" : "CLUSTERED_IXSCAN" } },
                    "executionStats" : { "nReturned" : 4, "executionTimeMillis" : 2, "totalKeysExamined" : 0, "totalDocsExamined" : 4 } } },
                { "$_internalUnpackBucket" : { } } ] }
            """));

        Assert.Equal((0L, 4L, 4L, 2L), (stats.KeysExamined, stats.DocsExamined, stats.Returned, stats.ExecutionMillis));
        Assert.True(stats.CollectionScan);
    }

    [Fact]
    public void A_reply_without_execution_stats_is_refused_by_name()
    {
        var error = Assert.Throws<MigrationEngineException>(() => ExecutionStatsReader.Read(BsonDocument.Parse(
            """{ "queryPlanner" : { "winningPlan" : { "stage" : "COLLSCAN" } } }""")));

        Assert.Contains("executionStats", error.Message);
    }

    [Fact]
    public void The_explain_command_is_a_find_with_the_applications_filter_sort_limit_and_projection_at_execution_stats()
    {
        var query = new CriticalQuery("users", BsonDocument.Parse("{ email: 'a@b.c' }"), BsonDocument.Parse("{ _id: 1 }"), 1, "a user by e-mail",
            "idx_users_email_unique", BsonDocument.Parse("{ email: 1, _id: 0 }"));

        Assert.Equal(BsonDocument.Parse("""
            { explain: { find: "users", filter: { email: "a@b.c" }, sort: { _id: 1 }, limit: 1, projection: { email: 1, _id: 0 } }, verbosity: "executionStats" }
            """), CriticalQueryProbe.Command(query));
        Assert.Equal("""db.users.find({ "email" : "a@b.c" }, { "email" : 1, "_id" : 0 }).sort({ "_id" : 1 }).limit(1).explain("executionStats")""",
            CriticalQueryProbe.Shape(query));
    }
}
