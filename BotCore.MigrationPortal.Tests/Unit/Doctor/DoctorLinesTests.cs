using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Doctor.Lines;
using BotCore.MigrationPortal.Doctor.Probes;
using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Doctor;

/// <summary>Each line's judgement, from canned replies of hello, getParameter and dbStats.</summary>
public sealed class DoctorLinesTests
{
    private static readonly MongoServerVersion Seven = new(7, 0, 14);
    private static readonly DateTimeOffset Noon = new(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Through_a_mongos_the_FCV_is_not_asked_and_the_line_says_where_to_read_it()
    {
        var line = ServerVersionLine.Evaluate(Seven, MongoServerProbe.MongosFeatureCompatibility);

        Assert.Equal(DoctorOutcome.Warn, line.Outcome);
        Assert.Equal("MongoDB 7.0.14, featureCompatibilityVersion unknown (a mongos does not report the cluster's)", line.Finding);
        Assert.StartsWith("Read it on each shard's primary", line.Advice);
    }

    [Fact]
    public void A_mongos_is_a_sharded_cluster_with_change_streams_and_transactions()
    {
        var hello = new BsonDocument { { "isWritablePrimary", true }, { "msg", "isdbgrid" }, { "maxWireVersion", 21 }, { "localTime", Noon.UtcDateTime } };

        var (topology, set) = MongoReplies.Topology(hello);
        var line = TopologyLine.Evaluate(topology, set, Seven);

        Assert.Equal(TargetTopology.Sharded, topology);
        Assert.Equal(DoctorOutcome.Pass, line.Outcome);
        Assert.Equal("sharded cluster (mongos): change streams available, transactions available", line.Finding);
    }

    [Fact]
    public void A_replica_set_member_names_its_set()
    {
        var (topology, set) = MongoReplies.Topology(new BsonDocument { { "isWritablePrimary", true }, { "setName", "rs0" }, { "hosts", new BsonArray { "mongo:27017" } } });

        Assert.Equal((TargetTopology.ReplicaSet, "rs0"), (topology, set));
        Assert.Equal("replica set rs0: change streams available, transactions available", TopologyLine.Evaluate(topology, set, Seven).Finding);
    }

    [Fact]
    public void A_standalone_server_warns_that_it_has_neither()
    {
        var (topology, set) = MongoReplies.Topology(new BsonDocument { { "isWritablePrimary", true }, { "localTime", Noon.UtcDateTime } });
        var line = TopologyLine.Evaluate(topology, set, Seven);

        Assert.Equal((TargetTopology.Standalone, DoctorOutcome.Warn), (topology, line.Outcome));
        Assert.Contains("no change streams", line.Finding);
        Assert.Contains("--replSet", line.Advice);
    }

    [Fact]
    public void The_FCV_reply_is_a_document_with_version_and_during_an_upgrade_a_target()
    {
        Assert.Equal("7.0", MongoReplies.FeatureCompatibility(new BsonDocument { { "featureCompatibilityVersion", new BsonDocument("version", "7.0") }, { "ok", 1 } }).Version);
        Assert.Equal("6.0 (moving to 7.0)", MongoReplies.FeatureCompatibility(new BsonDocument("featureCompatibilityVersion",
            new BsonDocument { { "version", "6.0" }, { "targetVersion", "7.0" } })).Version);
        Assert.Equal("3.6", MongoReplies.FeatureCompatibility(new BsonDocument("featureCompatibilityVersion", "3.6")).Version);
        Assert.Null(MongoReplies.FeatureCompatibility(new BsonDocument("ok", 1)).Version);
    }

    [Fact]
    public void An_FCV_lower_than_the_binary_warns_with_the_command_that_raises_it()
    {
        var line = ServerVersionLine.Evaluate(Seven, new FeatureCompatibility("6.0"));

        Assert.Equal(DoctorOutcome.Warn, line.Outcome);
        Assert.Equal("MongoDB 7.0.14, featureCompatibilityVersion 6.0, lower than the server's 7.0", line.Finding);
        Assert.Contains("setFeatureCompatibilityVersion: \"7.0\", confirm: true", line.Advice);
    }

    [Fact]
    public void The_server_line_passes_on_7_0_at_its_FCV_warns_when_the_FCV_is_unreadable_and_fails_before_5_0()
    {
        Assert.Equal(DoctorOutcome.Pass, ServerVersionLine.Evaluate(Seven, new FeatureCompatibility("7.0")).Outcome);
        Assert.Equal(DoctorOutcome.Pass, ServerVersionLine.Evaluate(new MongoServerVersion(8, 0, 1), new FeatureCompatibility("8.0")).Outcome);
        var unreadable = ServerVersionLine.Evaluate(Seven, new FeatureCompatibility(null, "the user may not run getParameter (it needs clusterMonitor)"));
        Assert.Equal(DoctorOutcome.Warn, unreadable.Outcome);
        Assert.Contains("clusterMonitor", unreadable.Advice);
        Assert.Equal(DoctorOutcome.Warn, ServerVersionLine.Evaluate(new MongoServerVersion(6, 0, 3), new FeatureCompatibility("6.0")).Outcome);
        Assert.Equal(DoctorOutcome.Fail, ServerVersionLine.Evaluate(new MongoServerVersion(4, 4, 29), new FeatureCompatibility("4.4")).Outcome);
    }

    [Fact]
    public void Hello_localTime_is_the_servers_clock()
    {
        Assert.Equal(Noon, MongoReplies.LocalTime(new BsonDocument("localTime", Noon.UtcDateTime)));
        Assert.Null(MongoReplies.LocalTime(new BsonDocument("ok", 1)));
    }

    [Theory]
    [InlineData(0, 40, DoctorOutcome.Pass)]
    [InlineData(1500, 40, DoctorOutcome.Pass)]
    [InlineData(-1900, 40, DoctorOutcome.Pass)]
    [InlineData(2500, 2000, DoctorOutcome.Pass)] // within what the round trip cannot tell apart
    [InlineData(4000, 40, DoctorOutcome.Warn)]
    [InlineData(-90_000, 40, DoctorOutcome.Warn)]
    [InlineData(400_000, 40, DoctorOutcome.Fail)]
    [InlineData(-400_000, 40, DoctorOutcome.Fail)]
    public void Clock_skew_passes_within_2_s_warns_beyond_and_fails_beyond_5_minutes(int skewMilliseconds, int roundTripMilliseconds, DoctorOutcome expected)
    {
        var sent = Noon;
        var received = Noon.AddMilliseconds(roundTripMilliseconds);
        var server = Noon.AddMilliseconds(roundTripMilliseconds / 2.0 + skewMilliseconds);

        var line = ClockLine.Evaluate(new ClockReading(sent, server, received));

        Assert.Equal(expected, line.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(skewMilliseconds), new ClockReading(sent, server, received).Skew);
        if (expected != DoctorOutcome.Pass) Assert.Contains("NTP", line.Advice);
    }

    [Fact]
    public void The_skew_says_which_clock_is_ahead()
    {
        Assert.Equal("the server's clock is 4.0 s ahead of this machine's (±20 ms), more than 2 s",
            ClockLine.Evaluate(new ClockReading(Noon, Noon.AddMilliseconds(4020), Noon.AddMilliseconds(40))).Finding);
        Assert.StartsWith("the server's clock is 90.0 s behind this machine's",
            ClockLine.Evaluate(new ClockReading(Noon, Noon.AddMilliseconds(20 - 90_000), Noon.AddMilliseconds(40))).Finding);
    }

    [Fact]
    public void DbStats_sizes_are_read_whatever_their_numeric_type()
    {
        Assert.Equal(new DatabaseSize(1234, 4096), MongoReplies.Size(new BsonDocument { { "db", "x" }, { "dataSize", 1234.0 }, { "storageSize", 4096 }, { "totalSize", 9000L } }));
        Assert.Equal(new DatabaseSize(5_000_000_000, 2_000_000_000),
            MongoReplies.Size(new BsonDocument { { "dataSize", 5_000_000_000L }, { "storageSize", 2_000_000_000L } }));
    }

    [Fact]
    public void Low_disk_fails_below_the_compressed_size_and_warns_below_the_uncompressed_one()
    {
        var size = new DatabaseSize(DataSize: 10L << 30, StorageSize: 3L << 30);

        var fails = BackupLocationLine.Evaluate(new BackupLocationReading("/backups", null, 2L << 30), size);
        var warns = BackupLocationLine.Evaluate(new BackupLocationReading("/backups", null, 5L << 30), size);
        var passes = BackupLocationLine.Evaluate(new BackupLocationReading("/backups", null, 50L << 30), size);

        Assert.Equal((DoctorOutcome.Fail, DoctorOutcome.Warn, DoctorOutcome.Pass), (fails.Outcome, warns.Outcome, passes.Outcome));
        Assert.Equal("Backups:Location /backups is writable, 2.0 GiB free; the database holds 10.0 GiB of documents (3.0 GiB compressed on the server)", fails.Finding);
        Assert.Contains("would not fit", fails.Advice);
    }

    [Fact]
    public void A_location_that_cannot_be_written_fails_and_an_unknown_size_warns()
    {
        var notWritable = BackupLocationLine.Evaluate(new BackupLocationReading("/ro", "UnauthorizedAccessException: Access to the path is denied.", null), new DatabaseSize(1, 1));
        var unknown = BackupLocationLine.Evaluate(new BackupLocationReading("/backups", null, 1L << 30), DatabaseSize.Unknown("the user may not run dbStats on it"));

        Assert.Equal(DoctorOutcome.Fail, notWritable.Outcome);
        Assert.Contains("Backups__Location", notWritable.Advice);
        Assert.Equal(DoctorOutcome.Warn, unknown.Outcome);
        Assert.Contains("dbStats", unknown.Finding);
    }

    [Fact]
    public async Task The_probe_writes_and_deletes_a_file_and_reads_the_free_space()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"doctor-probe-{Guid.NewGuid():N}", "backups");
        try
        {
            var reading = await BackupLocationProbe.ReadAsync(folder, Xunit.TestContext.Current.CancellationToken);

            Assert.Null(reading.Problem);
            Assert.True(reading.FreeBytes > 0);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_report_summarises_and_its_worst_line_decides()
    {
        var target = new BotCore.MigrationPortal.Targets.TargetDescriptor("dev", BotCore.MigrationPortal.Engine.Ports.TargetTier.Development, "sandbox://dev", true);
        var report = new DoctorReport(target, Noon, "cli",
            [DoctorLine.Pass("a", "A", "fine"), DoctorLine.Warn("b", "B", "odd", "Look."), DoctorLine.Warn("c", "C", "odd", "Look.")]);

        Assert.Equal(("1 passed, 2 warnings, 0 failures", DoctorOutcome.Warn), (report.Summary, report.Worst));
        Assert.Equal("WARN  B: odd. Look.", report.Lines[1].ToString());
        Assert.Equal("PASS  A: fine.", report.Lines[0].ToString());
    }
}
