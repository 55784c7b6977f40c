using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>The portal's users and its audit log, as the users commands see them: a user added from the CLI is audited too.</summary>
public sealed record PortalUsers(IUserStore Users, IAuditLog Audit);

/// <summary>The user store the users commands work on.</summary>
public interface IUsersStoreConnection
{
    /// <exception cref="BadInputException">The portal store is unreachable; the message says what to do.</exception>
    Task<PortalUsers> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>The portal store that <c>Portal:Store</c> names, reached as the web portal reaches it.</summary>
public sealed class UsersStoreConnection(IConfiguration configuration, TimeProvider time, ILogger<HashChainedAuditLog> auditLogger)
    : IUsersStoreConnection, IDisposable
{
    private PortalDatabase? database;

    public async Task<PortalUsers> OpenAsync(CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(PortalStoreOptions.Section).Get<PortalStoreOptions>() ?? new PortalStoreOptions();
        var (connected, problem) = await PortalStoreConnection.ConnectAsync(options, cancellationToken);
        database = connected ?? throw new BadInputException(problem!);
        return new PortalUsers(new MongoUserStore(connected), new HashChainedAuditLog(new MongoAuditStore(connected.Database), time, auditLogger));
    }

    public void Dispose() => database?.Database.Client.Dispose();
}
