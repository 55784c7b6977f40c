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
}
