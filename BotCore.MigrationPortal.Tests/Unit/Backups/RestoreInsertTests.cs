using Microsoft.Extensions.Configuration;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Mongo;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>The insert command a restore sends, the servers that keep empty timestamps, and the replies it accepts.</summary>
public sealed class RestoreInsertTests
{
    private static RawBsonDocument Raw(BsonDocument document) => new(document.ToBson());

    [Fact]
    public void The_command_carries_the_documents_as_they_are_unordered_with_the_flags_asked_for()
    {
        var documents = new[] { Raw(new BsonDocument { { "_id", 1 }, { "at", new BsonTimestamp(0) } }) };

        var command = RestoreInsert.Command("events", documents, bypassValidation: true, keepEmptyTimestamps: true);

        Assert.Equal(BsonDocument.Parse("""
            { insert: "events", documents: [ { _id: 1, at: { $timestamp: { t: 0, i: 0 } } } ], ordered: false,
              bypassDocumentValidation: true, bypassEmptyTsReplacement: true }
            """), BsonDocument.Parse(command.ToJson()));
    }

    [Fact]
    public void A_server_without_the_flags_is_not_sent_them()
    {
        var command = RestoreInsert.Command("system.buckets.market_data", [Raw(new BsonDocument("_id", 1))], bypassValidation: false, keepEmptyTimestamps: false);

        Assert.Equal(["insert", "documents", "ordered"], command.Names);
    }

    [Fact]
    public void A_reply_that_refused_documents_or_could_not_confirm_the_write_is_a_failure_that_says_so()
    {
        var refused = BsonDocument.Parse("""
            { n: 98, writeErrors: [ { index: 3, code: 11000, errmsg: "E11000 duplicate key error collection: db.users index: _id_ dup key: { _id: 4 }" },
              { index: 7, code: 11000, errmsg: "E11000 …" } ], ok: 1 }
            """);
        var unconfirmed = BsonDocument.Parse("{ n: 100, writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' }, ok: 1 }");

        var e = Assert.Throws<BackupFailedException>(() => RestoreInsert.Inserted(refused, 100));
        Assert.Equal("the server refused 2 of 100 documents; the first: E11000 duplicate key error collection: db.users index: _id_ dup key: { _id: 4 } (code 11000)", e.Message);
        Assert.Contains("waiting for replication timed out", Assert.Throws<BackupFailedException>(() => RestoreInsert.Inserted(unconfirmed, 100)).Message);
        Assert.Equal(100, RestoreInsert.Inserted(BsonDocument.Parse("{ n: 100, ok: 1 }"), 100));
    }

    [Theory]
    [InlineData("8.0.0", true)]
    [InlineData("8.2.1", true)]
    [InlineData("7.0.13", true)]
    [InlineData("7.0.12", false)]
    [InlineData("7.3.4", false)]
    [InlineData("6.0.17", true)]
    [InlineData("6.0.16", false)]
    [InlineData("5.0.29", true)]
    [InlineData("5.0.28", false)]
    [InlineData("4.4.29", false)]
    [InlineData("7.0.14-rc0", true)]
    public void Empty_timestamps_are_kept_by_the_servers_mongorestore_sends_the_flag_to(string version, bool keeps)
    {
        Assert.Equal(keeps, MongoServerVersion.Parse(version).KeepsEmptyTimestamps);
    }

    [Fact]
    public void A_version_that_is_not_one_is_refused()
    {
        Assert.Throws<FormatException>(() => MongoServerVersion.Parse("seven"));
    }

    [Fact]
    public void A_full_batch_of_the_largest_batch_size_fits_in_one_command_with_room_for_what_the_driver_adds()
    {
        // MaxInsertBatchSize documents that together weigh the 16 MiB a batch may carry: the command's own bytes (one type byte,
        // the index and a NUL per document) must leave room, within the server's 16 MiB + 16 KiB, for $db, lsid and $clusterTime.
        const int count = BackupOptions.MaxInsertBatchSize;
        var each = (int)(RestoreInsert.MaxBatchBytes / count);
        var padding = new string('x', each - new BsonDocument { { "_id", 0 }, { "p", "" } }.ToBson().Length);
        var documents = Enumerable.Range(0, count).Select(i => Raw(new BsonDocument { { "_id", i }, { "p", padding } })).ToList();
        Assert.True(documents.Sum(document => (long)document.Slice.Length) <= RestoreInsert.MaxBatchBytes);

        var command = RestoreInsert.Command(new string('c', 120), documents, bypassValidation: true, keepEmptyTimestamps: true);

        const int driverFields = 1024;
        Assert.True(command.ToBson().Length + driverFields <= 16 * 1024 * 1024 + 16 * 1024, $"{command.ToBson().Length:N0} bytes");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2001")]
    [InlineData("100000")]
    public void A_configured_insert_batch_size_out_of_range_stops_the_portal_with_the_key_and_the_range(string configured)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Backups:InsertBatchSize"] = configured }).Build();

        var e = Assert.Throws<InvalidOperationException>(() => BackupOptions.From(configuration));

        Assert.Equal($"Backups:InsertBatchSize is {configured}; it must be between 1 and 2,000, so that a full batch of 16 MiB of documents still fits in one insert command (16 MiB + 16 KiB).", e.Message);
    }

    [Fact]
    public void The_default_and_a_configured_insert_batch_size_in_range_are_taken()
    {
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Backups:InsertBatchSize"] = "2000" }).Build();

        Assert.Equal(1000, BackupOptions.From(new ConfigurationBuilder().Build()).InsertBatchSize);
        Assert.Equal(2000, BackupOptions.From(configured).InsertBatchSize);
    }
}
