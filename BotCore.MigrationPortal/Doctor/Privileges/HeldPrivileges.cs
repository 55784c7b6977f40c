using MongoDB.Bson;

namespace BotCore.MigrationPortal.Doctor.Privileges;

/// <summary>A privilege the connecting user holds: a resource and the actions allowed on it.</summary>
public sealed record HeldPrivilege(ResourcePattern Resource, IReadOnlySet<string> Actions);

/// <summary>
/// Who the connection is signed in as and what they may do, from <c>{ connectionStatus: 1, showPrivileges: true }</c>:
/// <c>authInfo.authenticatedUsers[{user, db}]</c>, <c>authInfo.authenticatedUserRoles[{role, db}]</c> and
/// <c>authInfo.authenticatedUserPrivileges[{resource, actions[]}]</c> (MongoDB manual, connectionStatus, "Output").
/// </summary>
/// <param name="AccessControlOff">Nobody is signed in, yet the server answered a command that needs a privilege: authorization is off.</param>
public sealed record HeldPrivileges(IReadOnlyList<string> Users, IReadOnlyList<string> Roles, IReadOnlyList<HeldPrivilege> Privileges, bool AccessControlOff = false)
{
    public bool Authenticated => Users.Count > 0;

    public static HeldPrivileges Parse(BsonDocument connectionStatus)
    {
        var info = connectionStatus.GetValue("authInfo", new BsonDocument()).AsBsonDocument;
        var users = Array(info, "authenticatedUsers").Select(u => $"{u["user"].AsString}@{u["db"].AsString}").ToList();
        var roles = Array(info, "authenticatedUserRoles").Select(r => $"{r["role"].AsString}@{r["db"].AsString}").ToList();
        var privileges = Array(info, "authenticatedUserPrivileges")
            .Select(p => (Resource: ResourcePattern.Parse(p["resource"].AsBsonDocument), Actions: p.GetValue("actions", new BsonArray()).AsBsonArray))
            .Where(p => p.Resource is not null)
            .Select(p => new HeldPrivilege(p.Resource!, p.Actions.Select(a => a.AsString).ToHashSet(StringComparer.Ordinal)))
            .ToList();
        return new HeldPrivileges(users, roles, privileges);
    }

    /// <summary>The actions of <paramref name="required"/> that no held privilege grants on its resource.</summary>
    public IReadOnlyList<string> Missing(RequiredPrivilege required)
    {
        if (AccessControlOff) return [];
        var granted = Privileges.Where(p => p.Resource.Covers(required.Resource)).SelectMany(p => p.Actions).ToHashSet(StringComparer.Ordinal);
        return required.Actions.Where(action => !granted.Contains(action)).ToList();
    }

    private static IEnumerable<BsonDocument> Array(BsonDocument info, string name) =>
        info.GetValue(name, new BsonArray()).AsBsonArray.OfType<BsonDocument>();
}
