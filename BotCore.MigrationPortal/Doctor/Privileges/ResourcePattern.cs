using MongoDB.Bson;

namespace BotCore.MigrationPortal.Doctor.Privileges;

public enum ResourceKind
{
    /// <summary><c>{ anyResource: true }</c>: everything, system collections and the cluster included.</summary>
    AnyResource,

    /// <summary><c>{ cluster: true }</c>: cluster-wide actions only (getParameter, serverStatus…), no collection.</summary>
    Cluster,

    /// <summary><c>{ db, collection }</c>; an empty db means any database, an empty collection any ordinary collection.</summary>
    Collection,

    /// <summary><c>{ db, system_buckets }</c>: a time series' buckets; empty means any.</summary>
    SystemBuckets,
}

/// <summary>
/// A privilege's resource as <c>connectionStatus</c> reports it. Shapes and meaning as the server writes them
/// (mongodb/mongo <c>src/mongo/db/auth/privilege.cpp</c>, <c>Privilege::toParsedPrivilege</c>): <c>{cluster: true}</c>,
/// <c>{anyResource: true}</c>, <c>{db: "x", collection: "c"}</c> (exact), <c>{db: "x", collection: ""}</c> (the database),
/// <c>{db: "", collection: "c"}</c> (that name in any database), <c>{db: "", collection: ""}</c> (any ordinary resource), and for
/// time series <c>{db: "x", system_buckets: "c"}</c>, <c>{db: "x", system_buckets: ""}</c>, <c>{system_buckets: "c"}</c>,
/// <c>{system_buckets: ""}</c>.
/// </summary>
public sealed record ResourcePattern(ResourceKind Kind, string Db = "", string Name = "")
{
    public static ResourcePattern Cluster { get; } = new(ResourceKind.Cluster);

    public static ResourcePattern Database(string db) => new(ResourceKind.Collection, db);

    public static ResourcePattern BucketsOf(string db) => new(ResourceKind.SystemBuckets, db);

    /// <returns>Null for a shape this build does not know (it is ignored, never taken as a grant).</returns>
    public static ResourcePattern? Parse(BsonDocument resource)
    {
        if (resource.GetValue("anyResource", false).ToBoolean()) return new(ResourceKind.AnyResource);
        if (resource.GetValue("cluster", false).ToBoolean()) return Cluster;
        var db = resource.GetValue("db", "").AsString;
        if (resource.TryGetValue("collection", out var collection)) return new(ResourceKind.Collection, db, collection.AsString);
        if (resource.TryGetValue("system_buckets", out var buckets)) return new(ResourceKind.SystemBuckets, db, buckets.AsString);
        return null;
    }

    /// <summary>
    /// Whether a privilege on this pattern grants its actions on <paramref name="required"/>, which names a whole database's ordinary
    /// collections (<see cref="Database"/>), a whole database's buckets (<see cref="BucketsOf"/>) or the cluster. A grant on one
    /// collection does not cover a database; a database does not cover its buckets (<c>system.buckets.*</c> are system collections).
    /// </summary>
    public bool Covers(ResourcePattern required) => Kind switch
    {
        ResourceKind.AnyResource => true,
        ResourceKind.Cluster => required.Kind == ResourceKind.Cluster,
        ResourceKind.Collection => required.Kind == ResourceKind.Collection && Name.Length == 0 && (Db.Length == 0 || Db == required.Db),
        ResourceKind.SystemBuckets => required.Kind == ResourceKind.SystemBuckets && Name.Length == 0 && (Db.Length == 0 || Db == required.Db),
        _ => false,
    };

    public override string ToString() => Kind switch
    {
        ResourceKind.AnyResource => "any resource",
        ResourceKind.Cluster => "the cluster",
        ResourceKind.SystemBuckets => $"{{ db: \"{Db}\", system_buckets: \"{Name}\" }}",
        _ => Name.Length == 0 ? $"database {Db}" : $"{Db}.{Name}",
    };
}
