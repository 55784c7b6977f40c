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

        Assert.True(report.Valid);
        Assert.Empty(report.Errors);
        Assert.Equal("users: valid (120 records)", report.ToString());
    }

    [Fact]
    public void An_invalid_reply_keeps_its_errors_and_warnings()
    {
        var report = ValidateReport.FromReply("trades", BsonDocument.Parse(
            "{ valid: false, nrecords: 3, warnings: ['Detected one or more invalid documents.'], errors: ['Index idx_trades_user_created is missing 1 key'], ok: 1 }"));

        Assert.False(report.Valid);
        Assert.Equal(["Index idx_trades_user_created is missing 1 key"], report.Errors);
        Assert.Equal("trades: NOT valid: Index idx_trades_user_created is missing 1 key (3 records); warnings: Detected one or more invalid documents.", report.ToString());
    }

    [Fact]
    public void A_reply_without_valid_is_not_taken_for_valid()
    {
        Assert.False(ValidateReport.FromReply("users", BsonDocument.Parse("{ ok: 1 }")).Valid);
    }
}
