using BotCore.MigrationPortal.Checks.Mongo;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Checks;

/// <summary>Reading validate replies: valid, errors, warnings and the record count.</summary>
public sealed class ValidateReportTests
{
    [Fact]
    public void A_valid_reply_reads_as_valid_with_its_record_count()
    {
        var report = ValidateReport.FromReply("users", BsonDocument.Parse(
            "{ ns: 'db.users', nInvalidDocuments: 0, nNonCompliantDocuments: 0, nrecords: 120, nIndexes: 2, valid: true, repaired: false, warnings: [], errors: [], ok: 1 }"));

        Assert.Equal(ValidateVerdict.Valid, report.Verdict);
        Assert.Empty(report.Errors);
        Assert.Equal("users: valid (120 records)", report.ToString());
    }

    [Fact]
    public void An_invalid_reply_keeps_its_errors_and_warnings()
    {
        var report = ValidateReport.FromReply("trades", BsonDocument.Parse(
            "{ valid: false, nrecords: 3, warnings: ['Detected one or more invalid documents.'], errors: ['Index idx_trades_user_created is missing 1 key'], ok: 1 }"));

        Assert.Equal(ValidateVerdict.Invalid, report.Verdict);
        Assert.Equal(["Index idx_trades_user_created is missing 1 key"], report.Errors);
        Assert.Equal("trades: NOT valid: Index idx_trades_user_created is missing 1 key (3 records); warnings: Detected one or more invalid documents.", report.ToString());
    }

    [Fact]
    public void A_reply_without_valid_is_not_validated()
    {
        var report = ValidateReport.FromReply("users", BsonDocument.Parse("{ nrecords: 3, ok: 1 }"));

        Assert.Equal(ValidateVerdict.NotValidated, report.Verdict);
        Assert.False(report.Valid);
        Assert.Equal("users: not validated: the reply does not say whether the collection is valid", report.ToString());
    }

    [Fact]
    public void A_valid_reply_without_a_record_count_is_not_validated_never_valid()
    {
        // What a background validate that read an old checkpoint, or a server that skipped the data, may answer.
        var report = ValidateReport.FromReply("market_data", BsonDocument.Parse("{ ns: 'db.market_data', valid: true, warnings: [], errors: [], ok: 1 }"));

        Assert.Equal(ValidateVerdict.NotValidated, report.Verdict);
        Assert.False(report.Valid);
        Assert.Equal("market_data: not validated: the reply does not say how many records were read", report.ToString());
    }

    [Fact]
    public void A_reply_that_says_not_valid_is_invalid_even_without_a_record_count()
    {
        var report = ValidateReport.FromReply("users", BsonDocument.Parse("{ valid: false, errors: ['corrupt record'], ok: 1 }"));

        Assert.Equal(ValidateVerdict.Invalid, report.Verdict);
        Assert.Equal("users: NOT valid: corrupt record", report.ToString());
    }

    // Through mongos, a sharded collection's reply is {valid, raw: {<shard>: <its reply>}} and has no top-level nrecords
    // (mongo's src/mongo/s/commands/cluster_validate_cmd.cpp).
    [Fact]
    public void A_sharded_collection_through_mongos_sums_the_records_of_its_shards()
    {
        var report = ValidateReport.FromReply("trades", BsonDocument.Parse("""
            { valid: true,
              raw: { shard0: { ns: 'db.trades', nrecords: 70, nIndexes: 3, valid: true, warnings: [], errors: [], ok: 1 },
                     shard1: { ns: 'db.trades', nrecords: 50, nIndexes: 3, valid: true, warnings: ['Could not complete validation of table:index-7'], errors: [], ok: 1 } },
              ok: 1 }
            """));

        Assert.Equal(ValidateVerdict.Valid, report.Verdict);
        Assert.Equal(120, report.Records);
        Assert.Equal(["shard1: Could not complete validation of table:index-7"], report.Warnings);
        Assert.Equal("trades: valid (120 records); warnings: shard1: Could not complete validation of table:index-7", report.ToString());
    }

    [Fact]
    public void A_sharded_collection_is_invalid_when_one_shard_is_and_keeps_that_shards_errors()
    {
        var report = ValidateReport.FromReply("trades", BsonDocument.Parse("""
            { valid: false,
              raw: { shard0: { nrecords: 70, valid: true, warnings: [], errors: [], ok: 1 },
                     shard1: { nrecords: 50, valid: false, warnings: [], errors: ['Index idx_trades_user_created is missing 1 key'], ok: 1 } },
              ok: 1 }
            """));

        Assert.Equal(ValidateVerdict.Invalid, report.Verdict);
        Assert.Equal(["shard1: Index idx_trades_user_created is missing 1 key"], report.Errors);
        Assert.Equal("trades: NOT valid: shard1: Index idx_trades_user_created is missing 1 key (120 records)", report.ToString());
    }

    [Fact]
    public void A_sharded_collection_with_a_shard_reply_without_a_record_count_is_not_validated()
    {
        var report = ValidateReport.FromReply("trades", BsonDocument.Parse("""
            { valid: true, raw: { shard0: { nrecords: 70, valid: true, errors: [], ok: 1 }, shard1: { valid: true, errors: [], ok: 1 } }, ok: 1 }
            """));

        Assert.Equal(ValidateVerdict.NotValidated, report.Verdict);
        Assert.Null(report.Records);
        Assert.Equal("trades: not validated: the reply of shard shard1 does not say how many records were read", report.ToString());
    }

    [Fact]
    public void An_unsharded_collection_through_mongos_is_read_from_the_passed_through_reply()
    {
        // mongos passes the one shard's reply through and adds raw.
        var report = ValidateReport.FromReply("users", BsonDocument.Parse("""
            { ns: 'db.users', nrecords: 12, valid: true, warnings: [], errors: [], raw: { shard0: { ns: 'db.users', nrecords: 12, valid: true, ok: 1 } }, ok: 1 }
            """));

        Assert.Equal(ValidateVerdict.Valid, report.Verdict);
        Assert.Equal(12, report.Records);
        Assert.Empty(report.Warnings);
    }
}
