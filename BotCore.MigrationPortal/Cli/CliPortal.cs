using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Store;

namespace BotCore.MigrationPortal.Cli;

/// <summary>
/// The portal's own services (audit log, runs and their events, backups, checks) as the CLI reaches them: the same registrations
/// as the web portal (<see cref="PortalFeatures.AddPortalFeatures"/>), on the same store. With <c>--sandbox</c> that store is the
/// sandbox's in-memory one, which lasts for the one command; otherwise it is the MongoDB database <c>Portal:Store</c> names, connected
/// only by a verb that acts (one that only reads a target, or <c>list</c>, works without it), and before it acts.
/// </summary>
public sealed class CliPortal(IServiceProvider services, PortalMode mode, IConfiguration configuration) : IDisposable
{
    private PortalDatabase? database;

    /// <summary>A service of the portal, once its store answers.</summary>
    /// <exception cref="MigrationEngineException">The store cannot be used: what to do, in one sentence.</exception>
    public async Task<T> OpenAsync<T>(CancellationToken cancellationToken) where T : notnull
    {
        if (!mode.IsSandbox && database is null)
        {
            var options = configuration.GetSection(PortalStoreOptions.Section).Get<PortalStoreOptions>() ?? new PortalStoreOptions();
            var (connected, problem) = await PortalStoreConnection.ConnectAsync(options, cancellationToken);
            database = connected ?? throw new MigrationEngineException(
                $"{problem} The command line records what it does in the portal's audit log and run list; add --sandbox to try it without MongoDB.");
            // The portal creates these at its start (a hosted service the command line does not start); the one-open-run-per-target
            // rule rests on the run store's unique index, so a store no portal has started yet gets it here too.
            await services.GetRequiredService<MongoRunStore>().EnsureIndexesAsync(cancellationToken);
            await services.GetRequiredService<MongoRunEventStore>().EnsureIndexesAsync(cancellationToken);
        }
        return services.GetRequiredService<T>();
    }

    /// <summary>The store, for the portal's registrations; only a service returned by <see cref="OpenAsync{T}"/> comes to ask for it.</summary>
    public PortalDatabase Database => database ?? throw new InvalidOperationException("The portal store was used before the command opened it.");

    public void Dispose() => database?.Database.Client.Dispose();
}
