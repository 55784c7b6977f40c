using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Layout;
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
    [InlineData("users._id.tenant fixed x", "nor a field inside it")]
    [InlineData("orders.items.0.email hash", "has a numeric segment")]
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
    public void Hash_on_an_array_hashes_each_element_keeps_the_array_and_counts_the_values_each_rule_changed()
    {
        var masker = new DocumentMasker(
            [new MaskingRule("orders", "notify", MaskingKind.Hash), new MaskingRule("orders", "items.email", MaskingKind.HashEmail),
                new MaskingRule("orders", "emial", MaskingKind.Hash), new MaskingRule("orders", "note", MaskingKind.Remove)], Salt);
        var changed = new Dictionary<MaskingRule, long>();
        var document = BsonDocument.Parse("""
            { "_id": 1, "notify": ["a@x.ch", null, ["b@x.ch"]], "items": [ { "email": "a@x.ch" }, { "email": ["c@x.ch"] }, { "sku": 1 } ], "note": "n" }
            """);

        var masked = masker.Mask("orders", document, changed);

        Assert.Equal(new BsonArray { masker.Hash("a@x.ch"), BsonNull.Value, new BsonArray { masker.Hash("b@x.ch") } }, masked["notify"].AsBsonArray);
        Assert.Equal(masker.HashEmail("a@x.ch"), masked["items"][0]["email"].AsString);
        Assert.Matches("^[0-9a-f]{24}@masked\\.invalid$", masked["items"][0]["email"].AsString);
        Assert.Equal(new BsonArray { masker.HashEmail("c@x.ch") }, masked["items"][1]["email"].AsBsonArray);
        Assert.Equal(2, changed[masker.Rules[0]]);
        Assert.Equal(2, changed[masker.Rules[1]]);
        Assert.Equal(0, changed[masker.Rules[2]]);
        Assert.Equal(1, changed[masker.Rules[3]]);
    }

    [Fact]
    public void A_document_with_a_field_name_twice_or_over_16_MiB_once_masked_is_a_sentence_not_an_exception_of_the_driver()
    {
        var masker = new DocumentMasker([new MaskingRule("users", "email", MaskingKind.Hash), new MaskingRule("users", "tags", MaskingKind.Hash)], Salt);
        using var stream = new MemoryStream();
        using (var writer = new MongoDB.Bson.IO.BsonBinaryWriter(stream))
        {
            writer.WriteStartDocument();
            writer.WriteName("email");
            writer.WriteString("a@x.ch");
            writer.WriteName("email");
            writer.WriteString("b@x.ch");
            writer.WriteEndDocument();
        }

        var twice = Assert.Throws<BackupFailedException>(() => masker.Mask("users", stream.ToArray()));
        Assert.Contains("users: a document has a field name twice (Duplicate element name 'email')", twice.Message);

        // 300,000 one-character tags are about 2.7 MB; each hash adds 63 characters, so the masked document is over 16 MiB.
        var big = new BsonDocument { { "_id", 1 }, { "tags", new BsonArray(Enumerable.Repeat("t", 300_000)) } }.ToBson();
        var tooLarge = Assert.Throws<BackupFailedException>(() => masker.Mask("users", big));
        Assert.Contains("once masked, over MongoDB's 16 MiB document limit", tooLarge.Message);
        Assert.True(masker.Mask("users", new BsonDocument("email", "a@x.ch").ToBson()).Length < 100);
    }

    private static readonly BsonDocument UsersValidator = BsonDocument.Parse("""
        { validator: { $jsonSchema: { bsonType: "object", required: ["email", "password_hash"], properties: {
            email: { bsonType: "string", pattern: "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$" },
            password_hash: { bsonType: "string", minLength: 60 },
            is_active: { bsonType: "bool" },
            tier: { enum: ["gold", "basic"] },
            contacts: { bsonType: "array", items: { bsonType: "object", properties: { email: { bsonType: "string", pattern: "@" } } } },
            nickname: { bsonType: "string" } } } } }
        """);

    private static CollectionMetadata Users(BsonDocument options, params BsonDocument[] indexes) =>
        new("users", CollectionMetadata.CollectionType, options, [CollectionMetadata.IdIndex(), .. indexes], null);

    [Theory]
    [InlineData("users.email hash", "has the pattern")]
    [InlineData("users.email fixed nobody", "has the pattern")]
    [InlineData("users.password_hash fixed x", "wants at least 60 characters")]
    [InlineData("users.is_active hash", "wants \"bool\", not a string")]
    [InlineData("users.tier fixed silver", "takes only")]
    [InlineData("users.email remove", "the validator requires email")]
    public void A_rule_whose_output_the_validator_does_not_take_is_refused_with_why(string line, string expected)
    {
        var refusal = MaskingRules.CheckAgainst(MaskingRules.Parse(line).Rules, Users(UsersValidator));

        Assert.StartsWith("Nothing was changed: masking rule", refusal);
        Assert.Contains(expected, refusal);
        Assert.Contains("every update", refusal);
    }

    [Theory]
    [InlineData("users.email hash-email")]
    [InlineData("users.email fixed nobody@masked.invalid")]
    [InlineData("users.password_hash hash")]
    [InlineData("users.tier fixed gold")]
    [InlineData("users.contacts.email hash-email")]
    [InlineData("users.nickname hash")]
    [InlineData("users.phone fixed 000")]
    public void A_rule_whose_output_the_validator_takes_passes(string line) =>
        Assert.Null(MaskingRules.CheckAgainst(MaskingRules.Parse(line).Rules, Users(UsersValidator)));

    [Fact]
    public void A_validator_that_is_off_or_only_warns_does_not_refuse_and_a_plain_hash_of_an_email_says_what_to_use()
    {
        var rules = MaskingRules.Parse("users.email hash").Rules;
        Assert.Contains("hash-email writes an address it takes", MaskingRules.CheckAgainst(rules, Users(UsersValidator)));
        Assert.Null(MaskingRules.CheckAgainst(rules, Users(new BsonDocument(UsersValidator) { { "validationLevel", "off" } })));
        Assert.Null(MaskingRules.CheckAgainst(rules, Users(new BsonDocument(UsersValidator) { { "validationAction", "warn" } })));
        Assert.Contains("query validator names email",
            MaskingRules.CheckAgainst(rules, Users(BsonDocument.Parse("""{ validator: { email: { $regex: "@" } } }"""))));
        // An expression names the field in a string, where a look at the keys would miss it (trace finding F1).
        Assert.Contains("holds an expression ($expr or $where)",
            MaskingRules.CheckAgainst(rules, Users(BsonDocument.Parse("""{ validator: { $expr: { $gt: [ { $strLenCP: "$email" }, 3 ] } } }"""))));
    }

    [Fact]
    public void Fixed_or_remove_on_a_key_of_a_unique_index_is_refused_hash_keeps_values_apart_and_remove_on_a_sparse_one_passes()
    {
        var unique = BsonDocument.Parse("""{ v: 2, key: { email: 1 }, name: "idx_users_email_unique", unique: true }""");
        var sparse = BsonDocument.Parse("""{ v: 2, key: { "profile.phone": 1, tenant: 1 }, name: "phone_unique", unique: true, sparse: true }""");
        var plain = BsonDocument.Parse("""{ v: 2, key: { city: 1 }, name: "city" }""");
        var users = Users(new BsonDocument(), unique, sparse, plain);

        Assert.Contains("key of the unique index idx_users_email_unique, which would see the same value in every document",
            MaskingRules.CheckAgainst(MaskingRules.Parse("users.email fixed x").Rules, users));
        Assert.Contains("would index every document as null", MaskingRules.CheckAgainst(MaskingRules.Parse("users.email remove").Rules, users));
        Assert.Contains("phone_unique", MaskingRules.CheckAgainst(MaskingRules.Parse("users.profile fixed x").Rules, users));
        Assert.Null(MaskingRules.CheckAgainst(MaskingRules.Parse("users.email hash").Rules, users));
        Assert.Null(MaskingRules.CheckAgainst(MaskingRules.Parse("users.profile.phone remove").Rules, users));
        Assert.Null(MaskingRules.CheckAgainst(MaskingRules.Parse("users.city fixed Bern").Rules, users));
        Assert.Null(MaskingRules.CheckAgainst(MaskingRules.Parse("orders.email fixed x").Rules, users));
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
