using System.Collections.Concurrent;
using System.Security.Cryptography;
using BotCore.MigrationPortal.Backups.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;
using Testcontainers.MongoDb;

[assembly: AssemblyFixture(typeof(BotCore.MigrationPortal.Tests.Integration.MongoFixture))]

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// One MongoDB 7 replica set for the whole test run: the one <c>MONGODB_URI</c> names, or else a
/// Testcontainers container. Decided once; where neither is available every integration test is reported
/// as skipped with the reason, never passed.
/// </summary>
/// <remarks>
/// <para>
/// The portal never runs as the administrator this fixture connects with. Each fresh database comes with a user of its own
/// that holds exactly the roles the README documents ("The roles the target's user needs"), created with the admin connection
/// and handed to the test as that user's client and connection string (same hosts and options, <c>authSource=admin</c>,
/// credentials escaped): <see cref="NewDatabase"/> for a target (<c>readWrite</c> + <c>dbAdmin</c> on it, <c>readWrite</c> on its
/// <c>_portal_verify</c> scratch database, and <c>find</c>, <c>insert</c> on both databases' <c>system_buckets</c>),
/// <see cref="NewStoreDatabase"/> for a portal store (<c>readWrite</c> on it). Setup the portal itself never does (Bot Core's
/// scripts building a brownfield database, dropping databases) says so by going through <see cref="AsAdmin"/>.
/// </para>
/// <para>
/// When <c>MONGODB_URI</c> carries no credentials the server runs without access control: the users are still created and the
/// tests still authenticate as them, but MongoDB enforces no role then (<see cref="RolesEnforced"/> is false), so a missing
/// privilege goes unnoticed. Testcontainers' container and any URI with credentials enforce them.
/// </para>
/// </remarks>
public sealed class MongoFixture : IAsyncLifetime
{
    /// <summary>Where the fixture's users and roles live; the connection strings name it as <c>authSource</c>.</summary>
    public const string AuthenticationDatabase = "admin";

    private readonly ConcurrentBag<string> databases = [];
    private readonly ConcurrentDictionary<string, Grant> grants = new(StringComparer.Ordinal);
    private MongoDbContainer? container;
    private MongoClient? admin;

    public string? SkipReason { get; private set; }

    /// <summary>The administrator's connection string; tests hand the portal <see cref="ConnectionStringFor"/> instead.</summary>
    public string? AdminConnectionString { get; private set; }

    /// <summary>False when the server runs without access control (a <c>MONGODB_URI</c> without credentials): roles are then not checked.</summary>
    public bool RolesEnforced { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var uri = Environment.GetEnvironmentVariable("MONGODB_URI");
        if (!string.IsNullOrWhiteSpace(uri))
        {
            AdminConnectionString = uri;
            admin = new MongoClient(uri);
            RolesEnforced = !string.IsNullOrEmpty(new MongoUrl(uri).Username);
            return;
        }
        try
        {
            container = new MongoDbBuilder("mongo:7.0").WithReplicaSet().Build();
            await container.StartAsync();
            // The member advertises its in-container host name; connect to the mapped port directly.
            AdminConnectionString = new MongoUrlBuilder(container.GetConnectionString()) { DirectConnection = true }.ToString();
            admin = new MongoClient(AdminConnectionString);
            // The container is started with a root user (MONGO_INITDB_ROOT_USERNAME), which switches access control on.
            RolesEnforced = true;
        }
        catch (Exception e)
        {
            SkipReason = "Needs MongoDB 7 (a replica set): MONGODB_URI is not set and Docker is not available for Testcontainers " +
                $"({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})";
        }
    }

    /// <summary>
    /// A fresh database for one test, as the portal sees a target: through the client of a user with exactly the roles the README
    /// documents for a target's user (migrate, check, back up, verify, restore). Skips the test when no MongoDB is available.
    /// </summary>
    public IMongoDatabase NewDatabase()
    {
        var name = NewName();
        var scratch = MongoBackupEngine.ScratchName(name);
        databases.Add(scratch);
        // README "The roles the target's user needs": the time series' buckets are outside readWrite, so a role of our own grants
        // find and insert on them (resource { db, system_buckets: "" }, as builtin_roles.yml's backup and restore roles name it).
        var buckets = $"{name}_buckets";
        EnsureRole(buckets, new BsonArray
        {
            Privilege(new BsonDocument { { "db", name }, { "system_buckets", "" } }, "find", "insert"),
            Privilege(new BsonDocument { { "db", scratch }, { "system_buckets", "" } }, "find", "insert"),
        });
        return GrantTo(name, new BsonArray
        {
            Role("readWrite", name), Role("dbAdmin", name), Role("readWrite", scratch), Role(buckets, AuthenticationDatabase),
        });
    }

    /// <summary>A fresh database for a portal store (users, runs, events, audit log, Hangfire's jobs), as a user with <c>readWrite</c> on it only.</summary>
    public IMongoDatabase NewStoreDatabase() => GrantTo(NewName(), new BsonArray { Role("readWrite", null) });

    /// <summary>The connection string of the user <see cref="NewDatabase"/> or <see cref="NewStoreDatabase"/> made for <paramref name="database"/>.</summary>
    public string ConnectionStringFor(IMongoDatabase database) => GrantOf(database).ConnectionString;

    /// <summary>A second client as the same user, as a second portal instance would have.</summary>
    public MongoClient NewClient(IMongoDatabase database) => new(ConnectionStringFor(database));

    /// <summary>
    /// The same database through the administrator's client, for setup that is not the portal's: Bot Core's own scripts building its
    /// database before the portal exists, or inspecting what only an administrator may. Everything the portal does goes through
    /// <see cref="NewDatabase"/>'s client.
    /// </summary>
    public IMongoDatabase AsAdmin(IMongoDatabase database)
    {
        Assert.SkipWhen(admin is null, SkipReason ?? "no MongoDB");
        return admin!.GetDatabase(database.DatabaseNamespace.DatabaseName);
    }

    /// <summary>Drops a database as the administrator (the portal's users may not: <c>readWrite</c> grants no <c>dropDatabase</c>).</summary>
    public Task DropAsAdminAsync(string database) => admin?.DropDatabaseAsync(database) ?? Task.CompletedTask;

    /// <summary>Forgets a database made outside <see cref="NewDatabase"/> (a scratch one), so that it is dropped too.</summary>
    public void Track(string database) => databases.Add(database);

    /// <summary>
    /// <paramref name="adminConnectionString"/> with the administrator's credentials replaced by <paramref name="user"/>'s: same hosts
    /// and options (replica set, direct connection, TLS), <c>authSource=admin</c>, the default SCRAM mechanism, credentials escaped.
    /// </summary>
    public static string LeastPrivilegedConnectionString(string adminConnectionString, string user, string password) =>
        new MongoUrlBuilder(adminConnectionString)
        {
            Username = user,
            Password = password,
            AuthenticationSource = AuthenticationDatabase,
            // A URI for X.509 or AWS credentials must not carry its mechanism over to a password user: SCRAM is negotiated.
            AuthenticationMechanism = null,
            AuthenticationMechanismProperties = [],
        }.ToString();

    private string NewName()
    {
        Assert.SkipWhen(admin is null, SkipReason ?? "no MongoDB");
        var name = $"it_{Guid.NewGuid():N}"[..30];
        databases.Add(name);
        return name;
    }

    private IMongoDatabase GrantTo(string database, BsonArray roles)
    {
        foreach (var role in roles.Cast<BsonDocument>().Where(r => r["db"].IsBsonNull)) role["db"] = database;
        var user = $"{database}_portal";
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        EnsureUser(user, password, roles);
        var connectionString = LeastPrivilegedConnectionString(AdminConnectionString!, user, password);
        var grant = grants.GetOrAdd(database, _ => new Grant(user, connectionString, new MongoClient(connectionString)));
        return grant.Client.GetDatabase(database);
    }

    private Grant GrantOf(IMongoDatabase database)
    {
        Assert.SkipWhen(admin is null, SkipReason ?? "no MongoDB");
        return grants.TryGetValue(database.DatabaseNamespace.DatabaseName, out var grant)
            ? grant
            : throw new InvalidOperationException($"{database.DatabaseNamespace.DatabaseName} was not made by NewDatabase or NewStoreDatabase.");
    }

    /// <summary>
    /// createUser, or updateUser when the user exists (a re-run against the same MONGODB_URI): updateUser replaces the roles array
    /// and the password whole (manual, updateUser), so either way the user ends with exactly <paramref name="roles"/>.
    /// </summary>
    private void EnsureUser(string user, string password, BsonArray roles)
    {
        var adminDatabase = admin!.GetDatabase(AuthenticationDatabase);
        // usersInfo: { user, db } answers { users: [...] }, empty when there is no such user (manual, usersInfo).
        var exists = adminDatabase.RunCommand<BsonDocument>(new BsonDocument("usersInfo", new BsonDocument { { "user", user }, { "db", AuthenticationDatabase } }))
            ["users"].AsBsonArray.Count > 0;
        adminDatabase.RunCommand<BsonDocument>(new BsonDocument
        {
            { exists ? "updateUser" : "createUser", user },
            { "pwd", password },
            { "roles", roles },
        });
    }

    /// <summary>createRole, or updateRole when it exists: updateRole replaces the privileges and roles arrays whole (manual, updateRole).</summary>
    private void EnsureRole(string role, BsonArray privileges)
    {
        var adminDatabase = admin!.GetDatabase(AuthenticationDatabase);
        // rolesInfo: { role, db } answers { roles: [...] }, empty when there is no such role (manual, rolesInfo).
        var exists = adminDatabase.RunCommand<BsonDocument>(new BsonDocument("rolesInfo", new BsonDocument { { "role", role }, { "db", AuthenticationDatabase } }))
            ["roles"].AsBsonArray.Count > 0;
        adminDatabase.RunCommand<BsonDocument>(new BsonDocument
        {
            { exists ? "updateRole" : "createRole", role },
            { "privileges", privileges },
            { "roles", new BsonArray() },
        });
    }

    private static BsonDocument Role(string role, string? database) =>
        new() { { "role", role }, { "db", database is null ? BsonNull.Value : database } };

    private static BsonDocument Privilege(BsonDocument resource, params string[] actions) =>
        new() { { "resource", resource }, { "actions", new BsonArray(actions) } };

    public async ValueTask DisposeAsync()
    {
        foreach (var grant in grants.Values) grant.Client.Dispose();
        // A shared MONGODB_URI server must not fill up with test databases, users and roles.
        if (admin is not null)
        {
            foreach (var name in databases.Distinct()) await admin.DropDatabaseAsync(name);
            var adminDatabase = admin.GetDatabase(AuthenticationDatabase);
            foreach (var (database, grant) in grants)
            {
                await adminDatabase.RunCommandAsync<BsonDocument>(new BsonDocument("dropUser", grant.User));
                // The role exists for targets only; rolesInfo first, as dropRole of a missing role is an error.
                var role = $"{database}_buckets";
                var roles = await adminDatabase.RunCommandAsync<BsonDocument>(new BsonDocument("rolesInfo", role));
                if (roles["roles"].AsBsonArray.Count > 0) await adminDatabase.RunCommandAsync<BsonDocument>(new BsonDocument("dropRole", role));
            }
        }
        admin?.Dispose();
        if (container is not null) await container.DisposeAsync();
    }

    private sealed record Grant(string User, string ConnectionString, MongoClient Client);
}
