using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Tests.Support;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>The tier rule of rehearsal restores, the masking rules and the masker, and the restore SLA's projection.</summary>
public sealed class RehearsalRulesTests
{
    private static readonly byte[] Salt = "portal-one"u8.ToArray();

    [Theory]
    [InlineData(TargetTier.Production, TargetTier.Staging, true)]
    [InlineData(TargetTier.Production, TargetTier.Development, true)]
    [InlineData(TargetTier.Staging, TargetTier.Development, true)]
    [InlineData(TargetTier.Staging, TargetTier.Production, false)]
    [InlineData(TargetTier.Development, TargetTier.Production, false)]
    [InlineData(TargetTier.Production, TargetTier.Production, false)]
    [InlineData(TargetTier.Staging, TargetTier.Staging, false)]
    [InlineData(TargetTier.Development, TargetTier.Staging, false)]
    [InlineData(TargetTier.Development, TargetTier.Development, false)]
    public void A_backup_goes_only_into_a_target_of_a_lower_tier_and_never_into_production(TargetTier from, TargetTier into, bool allowed) =>
        Assert.Equal(allowed, BackupRules.CheckRehearsal("source", from, "destination", into).Allowed);

    [Fact]
    public void The_refusals_say_why()
    {
        Assert.Contains("never restored into Production", BackupRules.CheckRehearsal("staging", TargetTier.Staging, "legacy", TargetTier.Production).Refusal);
        Assert.Contains("only into a target of a lower tier", BackupRules.CheckRehearsal("dev", TargetTier.Development, "dev2", TargetTier.Development).Refusal);
        Assert.Contains("use Restore", BackupRules.CheckRehearsal("production", TargetTier.Production, "production", TargetTier.Staging).Refusal);
    }

    [Fact]
    public void Only_an_admin_restores_into_another_target()
    {
        Assert.False(BackupRules.Check(BackupAction.RestoreInto, (Actor)TestPeople.Bob).Allowed);
        Assert.True(BackupRules.Check(BackupAction.RestoreInto, (Actor)TestPeople.Ada).Allowed);
    }

    [Fact]
    public void Masking_rules_are_read_one_a_line()
    {
        var (rules, problem) = MaskingRules.Parse("users.email hash\n  users.phone fixed +00 000 000\r\nusers.profile.address remove\n\n");

        Assert.Null(problem);
        Assert.Equal(
            [new MaskingRule("users", "email", MaskingKind.Hash), new MaskingRule("users", "phone", MaskingKind.Fixed, "+00 000 000"),
                new MaskingRule("users", "profile.address", MaskingKind.Remove)],
            rules);
        Assert.Equal(["users.email hash", "users.phone fixed +00 000 000", "users.profile.address remove"], rules.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("email hash", "is not collection.field")]
    [InlineData("users.email", "write collection.field")]
    [InlineData("users.email scramble", "is not a kind of masking")]
    [InlineData("users.email fixed", "fixed needs the value")]
    [InlineData("users._id hash", "_id cannot be masked")]
    [InlineData("users.$where hash", "is not a field path")]
    public void A_bad_masking_rule_is_a_sentence_naming_it(string line, string expected)
    {
        var (rules, problem) = MaskingRules.Parse($"users.email hash\n{line}");

        Assert.Empty(rules);
        Assert.StartsWith("Masking rule 2 (", problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Too_many_or_too_long_rules_are_refused_with_a_sentence()
    {
        Assert.Contains("At most 50", MaskingRules.Parse(string.Join('\n', Enumerable.Range(0, 51).Select(i => $"users.f{i} hash"))).Problem);
        Assert.Contains("longer than 200", MaskingRules.Parse($"users.{new string('a', 300)} hash").Problem);
    }

    [Fact]
    public void Masking_rules_must_name_a_collection_of_documents_in_the_backup_once()
    {
        var backup = Manifest(collections: [new BackupCollection("users", "collection", 1, 10, "h"), new BackupCollection("market_data", "timeseries", 1, 10, "h"),
            new BackupCollection("system_config", "collection", 1, 10, "h")]);

        Assert.True(MaskingRules.Check([new MaskingRule("users", "email", MaskingKind.Hash)], backup).Allowed);
        Assert.Contains("does not hold", MaskingRules.Check([new MaskingRule("orders", "email", MaskingKind.Hash)], backup).Refusal);
        Assert.Contains("the portal's own", MaskingRules.Check([new MaskingRule("system_config", "version", MaskingKind.Fixed, "9.9.9")], backup).Refusal);
        Assert.Contains("a timeseries", MaskingRules.Check([new MaskingRule("market_data", "price", MaskingKind.Remove)], backup).Refusal);
        Assert.Contains("has 2 masking rules", MaskingRules.Check(
            [new MaskingRule("users", "email", MaskingKind.Hash), new MaskingRule("users", "email", MaskingKind.Remove)], backup).Refusal);
    }

    [Fact]
    public void A_hash_is_stable_the_same_input_gives_the_same_output_and_another_salt_another()
    {
        var one = new DocumentMasker([new MaskingRule("users", "email", MaskingKind.Hash)], Salt);
        var again = new DocumentMasker([new MaskingRule("users", "email", MaskingKind.Hash)], "portal-one"u8.ToArray());
        var other = new DocumentMasker([new MaskingRule("users", "email", MaskingKind.Hash)], "portal-two"u8.ToArray());

        var first = one.Mask("users", new BsonDocument { { "_id", 1 }, { "email", "ann@example.com" } })["email"].AsString;

        Assert.Equal(64, first.Length);
        Assert.DoesNotContain("ann", first);
        Assert.Equal(first, again.Mask("users", new BsonDocument("email", "ann@example.com"))["email"].AsString);
        Assert.NotEqual(first, one.Mask("users", new BsonDocument("email", "bob@example.com"))["email"].AsString);
        Assert.NotEqual(first, other.Mask("users", new BsonDocument("email", "ann@example.com"))["email"].AsString);
        // A number and its text are different values and hash differently.
        Assert.NotEqual(one.Hash(1), one.Hash("1"));
    }

    [Fact]
    public void Fixed_and_remove_change_the_field_nested_paths_follow_embedded_documents_and_arrays_and_other_collections_are_untouched()
    {
        var masker = new DocumentMasker(
            [new MaskingRule("users", "phone", MaskingKind.Fixed, "000"), new MaskingRule("users", "profile.address", MaskingKind.Remove),
                new MaskingRule("users", "contacts.email", MaskingKind.Hash), new MaskingRule("users", "nickname", MaskingKind.Hash)], Salt);
        var document = BsonDocument.Parse("""
            { "_id": 1, "phone": "+41 79 123", "profile": { "address": "Main St 1", "city": "Bern" },
              "contacts": [ { "email": "a@x.ch" }, { "email": "b@x.ch" } ], "nickname": null }
            """);

        var masked = masker.Mask("users", document);

        Assert.Equal("000", masked["phone"].AsString);
        Assert.Equal(new BsonDocument("city", "Bern"), masked["profile"].AsBsonDocument);
        Assert.Equal([masker.Hash("a@x.ch"), masker.Hash("b@x.ch")], masked["contacts"].AsBsonArray.Select(c => c["email"].AsString));
        Assert.Equal(BsonNull.Value, masked["nickname"]);
        Assert.False(masker.Masks("orders"));
        Assert.Equal(new BsonDocument("phone", "+41"), masker.Mask("orders", new BsonDocument("phone", "+41")));
        Assert.Equal(new BsonDocument("_id", 2), masker.Mask("users", new BsonDocument("_id", 2)));
    }

    [Fact]
    public void A_projection_divides_the_backups_size_by_the_slowest_recent_throughput_on_its_target()
    {
        var sla = new RestoreSla(new BackupOptions(RestoreSlaHours: 2));
        var at = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        // Verified at 1 MiB/s: 10 GiB take 10,240 s, 2 h 50 min.
        var big = Manifest("prod-big", bytes: 10L * 1024 * 1024 * 1024,
            verification: new BackupVerification(at, true, []) { StartedAt = at - TimeSpan.FromSeconds(10L * 1024) });
        var small = Manifest("prod-small", bytes: 1024 * 1024, verification: new BackupVerification(at, true, []) { StartedAt = at - TimeSpan.FromSeconds(1) });

        var projected = sla.Project(small, [big, small])!;

        Assert.Equal(1024 * 1024, projected.BytesPerSecond, precision: 3);
        Assert.Equal(TimeSpan.FromSeconds(1), projected.Projected);
        Assert.False(projected.ExceedsSla);
        var flagged = sla.Project(big, [big, small])!;
        Assert.True(flagged.ExceedsSla);
        Assert.Equal("2 h 50 min", RestoreSla.Span(flagged.Projected));
        Assert.Equal("verification of backup prod-big", flagged.MeasuredBy);
    }

    [Fact]
    public void A_projection_counts_restores_into_the_target_and_needs_a_verified_backup_and_a_measurement()
    {
        var sla = new RestoreSla(new BackupOptions(RestoreSlaHours: 1));
        var at = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var restored = Manifest("prod-1", bytes: 3600, verification: new BackupVerification(at, true, []),
            restores: [new BackupRestore("restore-prod-1-1", "ada", at, RestoreStatus.Succeeded, at + TimeSpan.FromHours(2)) { StartedAt = at }]);
        var unverified = Manifest("prod-2", bytes: 3600);

        var projected = sla.Project(restored, [restored, unverified])!;

        Assert.Equal(TimeSpan.FromHours(2), projected.Projected);
        Assert.True(projected.ExceedsSla);
        Assert.Equal("restore restore-prod-1-1 of backup prod-1", projected.MeasuredBy);
        Assert.Null(sla.Project(unverified, [restored, unverified]));
        Assert.Null(sla.Project(Manifest("prod-3", bytes: 1, verification: new BackupVerification(at, true, [])), []));
        Assert.Equal("took 2 h 00 min, OVER the 1 h 00 min restore SLA", sla.Describe(restored.Restores[0]));
    }

    private static BackupManifest Manifest(string id = "b-1", long bytes = 100, BackupVerification? verification = null, IReadOnlyList<BackupCollection>? collections = null,
        IReadOnlyList<BackupRestore>? restores = null) =>
        new(id, "production", "production", null, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), "olga", true, collections ?? [], bytes, verification)
        {
            Restores = restores ?? [],
        };
}
