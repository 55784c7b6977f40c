using System.Security.Cryptography;
using System.Text;
using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class AuditHashTests
{
    private static readonly AuditEntry Sample = AuditEntry.Next(null,
        new AuditRecord("Ünal", "Approver", AuditActions.Approved, "production", "run-1", "line one\nline two"),
        new DateTime(2026, 11, 24, 8, 30, 15, 123, DateTimeKind.Utc).AddTicks(4567));

    [Fact]
    public void The_hash_is_sha256_of_the_documented_serialisation()
    {
        var canonical =
            "botcore-audit-v1\n" +
            "sequence:1\n" +
            "time:2026-11-24T08:30:15.123Z\n" +
            "user:5:Ünal\n" +
            "role:8:Approver\n" +
            "action:8:approved\n" +
            "target:10:production\n" +
            "runId:5:run-1\n" +
            "details:17:line one\nline two\n" +
            $"previousHash:64:{AuditHash.Genesis}\n";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), Sample.Hash);
        Assert.Matches("^[0-9a-f]{64}$", Sample.Hash);
    }

    [Fact]
    public void The_first_entry_links_to_the_genesis_hash_and_the_next_to_it()
    {
        var next = AuditEntry.Next(Sample, AuditTestData.Record(1), Sample.Time.AddSeconds(1));

        Assert.Equal(1, Sample.Sequence);
        Assert.Equal(new string('0', 64), Sample.PreviousHash);
        Assert.Equal(2, next.Sequence);
        Assert.Equal(Sample.Hash, next.PreviousHash);
    }

    [Fact]
    public void Time_is_kept_to_the_millisecond_as_MongoDB_stores_it()
    {
        Assert.Equal(new DateTime(2026, 11, 24, 8, 30, 15, 123, DateTimeKind.Utc), Sample.Time);
        Assert.Equal(DateTimeKind.Utc, Sample.Time.Kind);
    }

    [Fact]
    public void Null_empty_and_dash_are_three_different_targets()
    {
        var hashes = new[] { null, "", "-" }.Select(target => AuditHash.Of(Sample with { Target = target })).ToList();

        Assert.Equal(3, hashes.Distinct().Count());
    }

    [Fact]
    public void Moving_text_from_one_field_to_the_next_changes_the_hash()
    {
        var one = Sample with { User = "ab", Role = "c" };
        var other = Sample with { User = "a", Role = "bc" };
        var withSeparator = Sample with { User = "a\nrole:1:b", Role = "c" };

        Assert.Equal(3, new[] { one, other, withSeparator }.Select(AuditHash.Of).Distinct().Count());
    }

    [Fact]
    public void A_lone_surrogate_is_stored_as_the_replacement_character_so_the_hash_survives_the_store()
    {
        var entry = AuditEntry.Next(null, new AuditRecord("u", "Viewer", "a", null, null, "bad \ud800 text"), AuditTestData.Start);

        Assert.Equal("bad \ufffd text", entry.Details);
        Assert.Equal(AuditHash.Of(entry), entry.Hash);
    }
}
