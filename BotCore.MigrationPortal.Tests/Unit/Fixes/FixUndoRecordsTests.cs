using BotCore.MigrationPortal.Engine;
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
        var record = Record(previous: new BsonDocument(), missing: ["status"]);

        var write = (UpdateOneModel<BsonDocument>)FixUndoRecords.Apply(Trades.Definition, [record]).Single();

        Assert.Equal(BsonDocument.Parse("{ _id: 1, status: { $exists: false } }"), Rendered(write.Filter));
        Assert.Equal(BsonDocument.Parse("{ $set: { status: 'PENDING' } }"), ((BsonDocumentUpdateDefinition<BsonDocument>)write.Update).Document);
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
    public void The_records_of_one_fix_and_of_one_run_are_told_apart()
    {
        Assert.Equal(BsonDocument.Parse($"{{ '_id.fix': '{Trades.Id}' }}"), Rendered(FixUndoRecords.Of(Trades.Id)));
        Assert.Equal(BsonDocument.Parse($"{{ '_id.fix': '{Trades.Id}', run_id: 'r-1' }}"), Rendered(FixUndoRecords.OfRun(Trades.Id, "r-1")));
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
