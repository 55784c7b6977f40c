using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Fixes;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Unit.Fixes;

/// <summary>What a fix records before it writes, what it writes, and what its undo writes back, as the commands MongoDB receives.</summary>
public sealed class FixUndoRecordsTests
{
    private static readonly RegisteredFix Trades = FixRegistry.FromAssembly(typeof(Migration).Assembly).Get("2026-12-02-trades-missing-status");
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Each_document_gets_one_record_keyed_by_fix_and_document_with_what_it_lacked_and_what_the_fix_sets()
    {
        var batch = new List<BsonDocument> { new() { { "_id", 1 }, { "symbol", "BTC" } }, new() { { "_id", 2 } } };

        var writes = FixUndoRecords.Record(Trades.Definition, "r-1", batch, Now).Cast<ReplaceOneModel<BsonDocument>>().ToList();

        Assert.Equal(2, writes.Count);
        Assert.True(writes[0].IsUpsert);
        var key = new BsonDocument { { "fix", Trades.Id }, { "document", 1 } };
        Assert.Equal(new BsonDocument("_id", key), Rendered(writes[0].Filter));
        var record = writes[0].Replacement;
        Assert.Equal(key, record["_id"]);
        Assert.Equal(new BsonDocument(), record["previous"]);
        Assert.Equal(new BsonArray { "status" }, record["missing"]);
        Assert.Equal(new BsonDocument("status", "PENDING"), record["set"]);
        Assert.Equal("r-1", record["run_id"].AsString);
    }

    [Fact]
    public void The_write_sets_the_recorded_values_only_where_the_document_still_needs_the_fix()
    {
        var write = (UpdateOneModel<BsonDocument>)FixUndoRecords.Apply(Trades.Definition, [new BsonDocument("_id", 1)]).Single();

        Assert.Equal(BsonDocument.Parse("{ $and: [{ _id: 1 }, { status: { $exists: false } }] }"), Rendered(write.Filter));
        Assert.Equal(BsonDocument.Parse("{ $set: { status: 'PENDING' } }"), ((BsonDocumentUpdateDefinition<BsonDocument>)write.Update).Document);
    }

    [Fact]
    public void A_document_id_that_is_a_document_stays_a_clause_of_its_own_and_is_not_merged_with_the_scope()
    {
        var document = new BsonDocument("_id", new BsonDocument { { "a", 1 }, { "b", 2 } });

        var write = (UpdateOneModel<BsonDocument>)FixUndoRecords.Apply(Trades.Definition, [document]).Single();

        Assert.Equal(BsonDocument.Parse("{ $and: [{ _id: { a: 1, b: 2 } }, { status: { $exists: false } }] }"), Rendered(write.Filter));
    }

    [Fact]
    public void A_document_already_holding_what_the_fix_sets_gets_no_record_so_its_earlier_record_keeps_the_values_from_before()
    {
        var batch = new List<BsonDocument> { new() { { "_id", 1 }, { "status", "PENDING" } }, new() { { "_id", 2 } } };

        var writes = FixUndoRecords.Record(Trades.Definition, "r-2", batch, Now).Cast<ReplaceOneModel<BsonDocument>>().ToList();

        Assert.Equal(2, Assert.Single(writes).Replacement["_id"]["document"].AsInt32);
    }

    [Fact]
    public void The_undo_unsets_what_was_missing_and_sets_back_what_was_there_never_with_an_empty_set()
    {
        Assert.Equal(BsonDocument.Parse("{ $unset: { status: '' } }"), FixUndoRecords.RestoreUpdate(Record(new BsonDocument(), ["status"])));
        Assert.Equal(BsonDocument.Parse("{ $set: { status: 'FAILD' } }"), FixUndoRecords.RestoreUpdate(Record(new BsonDocument("status", "FAILD"), [])));
    }

    [Fact]
    public void The_undo_restores_only_documents_that_still_hold_exactly_what_the_fix_set()
    {
        var write = (UpdateOneModel<BsonDocument>)FixUndoRecords.Restore([Record(new BsonDocument(), ["status"])]).Single();

        var filter = Rendered(write.Filter);
        Assert.Equal(1, filter["_id"].AsInt32);
        Assert.Contains("\"$literal\" : \"PENDING\"", filter.ToJson());
    }

    [Fact]
    public void The_records_of_one_fix_are_an_id_range_the_id_index_serves_and_those_of_one_run_are_told_apart_within_it()
    {
        var range = $"{{ _id: {{ $gte: {{ fix: '{Trades.Id}', document: {{ $minKey: 1 }} }}, $lte: {{ fix: '{Trades.Id}', document: {{ $maxKey: 1 }} }} }}";

        Assert.Equal(BsonDocument.Parse(range + " }"), Rendered(FixUndoRecords.Of(Trades.Id)));
        Assert.Equal(BsonDocument.Parse(range + ", run_id: 'r-1' }"), Rendered(FixUndoRecords.OfRun(Trades.Id, "r-1")));
    }

    [Fact]
    public void A_pass_continuing_after_a_record_keeps_one_id_range_with_both_bounds()
    {
        var last = new BsonDocument { { "fix", Trades.Id }, { "document", 7 } };

        var next = Rendered(FixUndoRecords.Of(Trades.Id) & Builders<BsonDocument>.Filter.Gt("_id", last));

        Assert.Equal(new[] { "$gte", "$lte", "$gt" }, next["_id"].AsBsonDocument.Names);
        Assert.Equal(last, next["_id"]["$gt"]);
    }

    [Fact]
    public void Only_the_fixs_records_lie_in_its_range_as_the_server_orders_ids()
    {
        var low = new BsonDocument { { "fix", Trades.Id }, { "document", BsonMinKey.Value } };
        var high = new BsonDocument { { "fix", Trades.Id }, { "document", BsonMaxKey.Value } };
        BsonDocument Key(string fix, BsonValue document) => new() { { "fix", fix }, { "document", document } };

        // The driver's BsonValue order follows the server's for these: field name, then type, then value.
        Assert.All(new BsonValue[] { ObjectId.GenerateNewId(), 1, "x", new BsonDocument("a", 1) },
            d => Assert.True(Key(Trades.Id, d).CompareTo(low) > 0 && Key(Trades.Id, d).CompareTo(high) < 0));
        Assert.True(Key(Trades.Id + "-2", ObjectId.GenerateNewId()).CompareTo(high) > 0);
        Assert.True(Key("2026-12-01-other", ObjectId.GenerateNewId()).CompareTo(low) < 0);
    }

    [Fact]
    public void A_write_the_validator_refuses_is_named_by_its_document_and_only_121_is_tolerated()
    {
        var refusals = FixUndoRecords.RecordsRefusedByValidator("trades");
        var records = new List<BsonDocument> { Record(new BsonDocument(), ["status"]), Record(new BsonDocument(), ["status"]) };
        records[1]["_id"]["document"] = 2;

        Assert.Equal(2, refusals.DocumentAt(records, 1).AsInt32);
        Assert.Equal(5, FixUndoRecords.DocumentsRefusedByValidator("trades").DocumentAt([new BsonDocument("_id", 4), new BsonDocument("_id", 5)], 1).AsInt32);
        Assert.Equal([ToleratedRefusals.DocumentValidationFailure], refusals.Codes);
        Assert.Equal("the validator of trades refuses them", refusals.Reason);
    }

    [Fact]
    public void The_summary_names_the_documents_left_the_first_twenty_and_how_many_more()
    {
        var refusals = FixUndoRecords.RecordsRefusedByValidator("trades");

        Assert.Equal("", FixUndoRecords.Left(new BatchSummary(10, 10, 0), refusals));
        Assert.Equal("; 3 documents left: the validator of trades refuses them: _id 1, 2, 3",
            FixUndoRecords.Left(new BatchSummary(10, 7, 0) { Refused = [1, 2, 3] }, refusals));
        Assert.EndsWith(", 20 and 5 more (in the run log)",
            FixUndoRecords.Left(new BatchSummary(30, 5, 0) { Refused = Enumerable.Range(1, 25).Select(i => (BsonValue)i).ToList() }, refusals));
        Assert.Equal("0 of 10 recorded documents restored; 7 left as they are (changed since the fix, or already restored)",
            FixUndoRecords.Restored(new BatchSummary(10, 0, 0) { Refused = [1, 2, 3] }));
    }

    [Fact]
    public void The_undo_forgets_every_record_but_those_of_documents_it_could_not_restore()
    {
        Assert.Equal(new BsonDocument(), Rendered(FixUndoRecords.NotOfDocuments([])));
        Assert.Equal(BsonDocument.Parse("{ '_id.document': { $in: [1, 2] } }"), Rendered(FixUndoRecords.OfDocuments([1, 2])));
        Assert.Equal(BsonDocument.Parse("{ '_id.document': { $nin: [1, 2] } }"), Rendered(FixUndoRecords.NotOfDocuments([1, 2])));
    }

    private static BsonDocument Record(BsonDocument previous, string[] missing) => new()
    {
        { "_id", new BsonDocument { { "fix", Trades.Id }, { "document", 1 } } },
        { "previous", previous },
        { "missing", new BsonArray(missing) },
        { "set", new BsonDocument("status", "PENDING") },
        { "run_id", "r-1" },
    };

    private static BsonDocument Rendered(FilterDefinition<BsonDocument> filter) => Engine.Mongosh.MongoshSyntax.Rendered(filter);
}
