using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Doctor.Lines;
using BotCore.MigrationPortal.Doctor.Privileges;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Tests.Unit.Doctor;

/// <summary>The user's privileges, from canned connectionStatus replies in the shapes the server writes them, against what each feature needs.</summary>
public sealed class DoctorPrivilegeTests
{
    private const string Db = "bot_core_db";

    private static readonly string[] ReadWrite =
        ["changeStream", "collStats", "dbHash", "dbStats", "find", "killCursors", "listCollections", "listIndexes", "convertToCapped", "createCollection",
         "createIndex", "dropCollection", "dropIndex", "insert", "remove", "renameCollectionSameDB", "update"];

    private static readonly string[] DbAdmin =
        ["bypassDocumentValidation", "collMod", "collStats", "compact", "convertToCapped", "createCollection", "dbStats", "dropCollection", "dropDatabase",
         "dropIndex", "createIndex", "listCollections", "listIndexes", "reIndex", "renameCollectionSameDB", "validate"];

    private static BsonDocument Privilege(BsonDocument resource, params string[] actions) =>
        new() { { "resource", resource }, { "actions", new BsonArray(actions) } };

    private static BsonDocument Database(string db) => new() { { "db", db }, { "collection", "" } };

    private static BsonDocument Buckets(string db) => new() { { "db", db }, { "system_buckets", "" } };

    /// <summary>A reply of <c>{ connectionStatus: 1, showPrivileges: true }</c>.</summary>
    private static BsonDocument ConnectionStatus(string user, params BsonDocument[] privileges) => new()
    {
        {
            "authInfo", new BsonDocument
            {
                { "authenticatedUsers", user.Length == 0 ? new BsonArray() : new BsonArray { new BsonDocument { { "user", user }, { "db", "admin" } } } },
                { "authenticatedUserRoles", new BsonArray { new BsonDocument { { "role", "readWrite" }, { "db", Db } } } },
                { "authenticatedUserPrivileges", new BsonArray(privileges) },
            }
        },
        { "ok", 1.0 },
    };

    private static IReadOnlyDictionary<string, DoctorLine> Lines(BsonDocument reply) =>
        PrivilegeLines.Evaluate(HeldPrivileges.Parse(reply), Db).ToDictionary(l => l.Id);

    /// <summary>The README's recommended user: readWrite and dbAdmin on the database, readWrite on the scratch database, the buckets role.</summary>
    private static BsonDocument Recommended() => ConnectionStatus("portal",
        Privilege(Database(Db), [.. ReadWrite, .. DbAdmin]),
        Privilege(Database($"{Db}_portal_verify"), ReadWrite),
        Privilege(Buckets(Db), "find", "insert"),
        Privilege(Buckets($"{Db}_portal_verify"), "find", "insert"));

    [Fact]
    public void The_user_the_README_recommends_passes_every_feature()
    {
        var lines = Lines(Recommended());

        Assert.Equal(["privileges.migrate", "privileges.check", "privileges.back-up", "privileges.verify", "privileges.restore"], lines.Keys);
        Assert.All(lines.Values, line => Assert.Equal(DoctorOutcome.Pass, line.Outcome));
        Assert.Equal("portal@admin holds what it needs", lines["privileges.migrate"].Finding);
    }

    [Fact]
    public void ReadWrite_alone_cannot_set_validators_restore_or_reach_the_buckets()
    {
        var lines = Lines(ConnectionStatus("app", Privilege(Database(Db), ReadWrite)));

        Assert.Equal(DoctorOutcome.Fail, lines["privileges.migrate"].Outcome);
        Assert.Equal("app@admin lacks collMod on database bot_core_db", lines["privileges.migrate"].Finding);
        Assert.StartsWith("Grant readWrite + dbAdmin (collMod sets validators) on bot_core_db", lines["privileges.migrate"].Advice);
        Assert.Equal("app@admin lacks validate on database bot_core_db", lines["privileges.check"].Finding);
        Assert.Equal("app@admin lacks find on { db: \"bot_core_db\", system_buckets: \"\" }", lines["privileges.back-up"].Finding);
        Assert.Contains("on bot_core_db_portal_verify", lines["privileges.verify"].Advice);
        // Restore is the last resort: missing, it warns.
        Assert.Equal(DoctorOutcome.Warn, lines["privileges.restore"].Outcome);
        Assert.Contains("bypassDocumentValidation, collMod on database bot_core_db", lines["privileges.restore"].Finding);
    }

    [Fact]
    public void AnyResource_grants_everything()
    {
        var lines = Lines(ConnectionStatus("root", Privilege(new BsonDocument("anyResource", true), [.. ReadWrite, .. DbAdmin])));

        Assert.All(lines.Values, line => Assert.Equal(DoctorOutcome.Pass, line.Outcome));
    }

    [Fact]
    public void A_cluster_privilege_grants_nothing_on_a_database_and_a_database_nothing_on_the_cluster()
    {
        var held = HeldPrivileges.Parse(ConnectionStatus("ops",
            Privilege(new BsonDocument("cluster", true), "getParameter", "serverStatus", "find"),
            Privilege(Database(Db), "find", "getParameter")));

        Assert.Empty(held.Missing(FeaturePrivileges.ReadFeatureCompatibility));
        Assert.Equal(["listCollections", "listIndexes", "collStats", "validate"], held.Missing(FeaturePrivileges.All.Single(f => f.Feature == "check").For(Db)[0]));
        Assert.Equal(["getParameter"], HeldPrivileges.Parse(ConnectionStatus("app", Privilege(Database(Db), "getParameter"))).Missing(FeaturePrivileges.ReadFeatureCompatibility));
    }

    [Fact]
    public void ReadWriteAnyDatabase_in_its_server_shapes_covers_verification()
    {
        // builtin_roles.yml: readWriteAnyDatabase grants on any_normal ({db: "", collection: ""}) and any_system_buckets ({system_buckets: ""}).
        var lines = Lines(ConnectionStatus("verifier",
            Privilege(new BsonDocument { { "db", "" }, { "collection", "" } }, ReadWrite),
            Privilege(new BsonDocument("system_buckets", ""), ReadWrite)));

        Assert.Equal(DoctorOutcome.Pass, lines["privileges.verify"].Outcome);
        Assert.Equal(DoctorOutcome.Pass, lines["privileges.back-up"].Outcome);
    }

    [Fact]
    public void A_grant_on_one_collection_or_one_bucket_does_not_cover_the_database()
    {
        var lines = Lines(ConnectionStatus("narrow",
            Privilege(new BsonDocument { { "db", Db }, { "collection", "trades" } }, [.. ReadWrite, .. DbAdmin]),
            Privilege(new BsonDocument { { "db", "" }, { "collection", "users" } }, [.. ReadWrite, .. DbAdmin]),
            Privilege(new BsonDocument { { "db", Db }, { "system_buckets", "market_data" } }, "find", "insert"),
            Privilege(Database("other_db"), [.. ReadWrite, .. DbAdmin])));

        Assert.All(lines.Values.Where(l => l.Id != "privileges.restore"), line => Assert.Equal(DoctorOutcome.Fail, line.Outcome));
    }

    [Fact]
    public void Nobody_signed_in_on_a_server_that_checks_fails_every_feature_and_says_so()
    {
        var lines = Lines(ConnectionStatus(""));

        Assert.Equal(DoctorOutcome.Fail, lines["privileges.migrate"].Outcome);
        Assert.StartsWith("nobody (no user in the connection string) lacks find, listCollections", lines["privileges.migrate"].Finding);
    }

    [Fact]
    public void With_access_control_off_one_line_warns_instead_of_five()
    {
        var held = HeldPrivileges.Parse(ConnectionStatus("")) with { AccessControlOff = true };

        var line = Assert.Single(PrivilegeLines.Evaluate(held, Db));

        Assert.Equal((DoctorOutcome.Warn, "privileges"), (line.Outcome, line.Id));
        Assert.Contains("security.authorization: enabled", line.Advice);
    }

    [Fact]
    public void An_unknown_resource_shape_grants_nothing()
    {
        var held = HeldPrivileges.Parse(ConnectionStatus("x", Privilege(new BsonDocument("somethingNew", 1), "find")));

        Assert.Empty(held.Privileges);
    }

    [Fact]
    public void Verification_is_checked_on_the_scratch_database_the_verification_uses_even_for_a_long_target_name()
    {
        // 60 characters + "_portal_verify" would be 74: the verification shortens the name to MongoDB's 63 bytes.
        var longName = new string('d', 60);
        var verify = FeaturePrivileges.All.Single(f => f.Feature == "verify").For(longName);

        Assert.Equal(BotCore.MigrationPortal.Backups.Mongo.MongoBackupEngine.ScratchName(longName), FeaturePrivileges.VerifyDatabase(longName));
        Assert.All(verify, required => Assert.Equal(63, required.Resource.Db.Length));
        Assert.Equal("bot_core_db_portal_verify", FeaturePrivileges.VerifyDatabase(Db));
    }
}
