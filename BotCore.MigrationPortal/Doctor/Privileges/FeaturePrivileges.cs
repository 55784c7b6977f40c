using BotCore.MigrationPortal.Backups.Mongo;

namespace BotCore.MigrationPortal.Doctor.Privileges;

/// <summary>Actions a feature needs on one resource.</summary>
public sealed record RequiredPrivilege(ResourcePattern Resource, IReadOnlyList<string> Actions);

/// <summary>
/// A portal feature and the least privilege it needs on a target database.
/// </summary>
/// <param name="Roles">The cell "roles on the target database" of the README's table, word for word (a test keeps them equal).</param>
/// <param name="Beyond">The cell "beyond it" of the README's table, word for word.</param>
/// <param name="Blocking">A missing privilege fails the check-up; otherwise it warns (restore is the last resort, not every target grants it).</param>
public sealed record FeatureRequirement(string Feature, string Readme, string Roles, string Beyond, bool Blocking, Func<string, IReadOnlyList<RequiredPrivilege>> For)
{
    public string Id => $"privileges.{Feature.Replace(' ', '-')}";
}

/// <summary>
/// The one place that says which privileges each feature needs, for the doctor and for the README's table "The roles the
/// target's user needs" (a test compares that table with <see cref="FeatureRequirement.Roles"/> and <see cref="FeatureRequirement.Beyond"/>).
/// The actions are those of the roles the table names, as mongodb/mongo <c>src/mongo/db/auth/builtin_roles.yml</c> defines them
/// (<c>read</c>: find, listCollections, listIndexes, collStats, dbStats…; <c>readWrite</c>: read's and insert, update, remove,
/// createCollection, createIndex, dropCollection, dropIndex, renameCollectionSameDB…; <c>dbAdmin</c>: collMod, validate,
/// bypassDocumentValidation, collStats, dbStats… but no find), narrowed to what each feature runs.
/// </summary>
public static class FeaturePrivileges
{
    /// <summary>
    /// Where a target's backup is verified: one scratch database per target, named by the verification itself
    /// (<see cref="MongoBackupEngine.ScratchName"/>, which shortens a long name to fit MongoDB's 63 bytes).
    /// </summary>
    public static string VerifyDatabase(string database) => MongoBackupEngine.ScratchName(database);

    private static readonly string[] Read = ["find", "listCollections", "listIndexes"];
    private static readonly string[] Write = ["insert", "update", "remove"];
    private static readonly string[] Ddl = ["createCollection", "createIndex", "dropCollection", "dropIndex"];

    public static IReadOnlyList<FeatureRequirement> All { get; } =
    [
        new("migrate", "migrate (`up`, `down`, runs, rollbacks)", "`readWrite` + `dbAdmin` (collMod sets validators)", "—", Blocking: true,
            db => [new(ResourcePattern.Database(db), [.. Read, .. Write, .. Ddl, "renameCollectionSameDB", "collMod"])]),
        new("check", "check (integrity checks, drift, `validate`, explain)", "`read` + `dbAdmin` (`validate`); `readWrite` when it also migrates", "—", Blocking: true,
            db => [new(ResourcePattern.Database(db), [.. Read, "collStats", "validate"])]),
        new("back up", "back up", "`readWrite` (the backup holds the target's lease)",
            "`find` on `{ db: \"<db>\", system_buckets: \"\" }`, or the built-in `backup` role", Blocking: true,
            db => [new(ResourcePattern.Database(db), [.. Read, .. Write]), new(ResourcePattern.BucketsOf(db), ["find"])]),
        new("verify", "verify a backup", "—",
            "`readWrite` on `<db>_portal_verify`, and `find`, `insert` on `{ db: \"<db>_portal_verify\", system_buckets: \"\" }`; or `readWriteAnyDatabase` " +
            "(not `backup` + `restore`: together they grant no `update` or `remove`, which the scratch database's lease needs)", Blocking: true,
            db => [new(ResourcePattern.Database(VerifyDatabase(db)), [.. Read, .. Write, .. Ddl]), new(ResourcePattern.BucketsOf(VerifyDatabase(db)), ["find", "insert"])]),
        new("restore", "restore", "`readWrite` + `dbAdmin` (`bypassDocumentValidation` puts documents back under a validator that changed since)",
            "`insert` on `{ db: \"<db>\", system_buckets: \"\" }`, or the built-in `restore` role", Blocking: false,
            db => [new(ResourcePattern.Database(db), [.. Read, .. Write, .. Ddl, "bypassDocumentValidation", "collMod"]), new(ResourcePattern.BucketsOf(db), ["insert"])]),
    ];

    /// <summary>What the doctor itself reads beyond the features: the featureCompatibilityVersion (<c>getParameter</c> on the cluster).</summary>
    public static RequiredPrivilege ReadFeatureCompatibility { get; } = new(ResourcePattern.Cluster, ["getParameter"]);
}
