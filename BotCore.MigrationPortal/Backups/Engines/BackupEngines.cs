using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Backups.Sandbox;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Backups.Engines;

/// <summary>Picks the engine that knows how to back up a target.</summary>
public sealed class BackupEngines(MongoBackupEngine mongo, SandboxBackupEngine sandbox)
{
    /// <exception cref="BackupFailedException">The target is of a kind no engine knows.</exception>
    public IBackupEngine For(IMigrationTarget target) => target switch
    {
        MongoMigrationTarget => mongo,
        SandboxMigrationTarget => sandbox,
        _ => throw new BackupFailedException($"Target '{target.Name}' cannot be backed up: it is neither a MongoDB database nor a sandbox target."),
    };
}
