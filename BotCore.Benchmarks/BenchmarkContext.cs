using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;
using MongoDB.Driver;

namespace BotCore.Benchmarks;

/// <summary>What the cases share: the seeded database, the portal's backup service over it, and what earlier cases produced.</summary>
public sealed class BenchmarkContext(IMongoDatabase database, string connectionString, string target, IMigrationTarget migrationTarget, IBackupService backups,
    string scratchFolder, SeedSummary seeded)
{
    public IMongoDatabase Database { get; } = database;

    /// <summary>For tools that need it (mongodump); never printed.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>The portal target name the database is configured under.</summary>
    public string Target { get; } = target;

    /// <summary>The same database as the portal's target: what a run's steps execute through.</summary>
    public IMigrationTarget MigrationTarget { get; } = migrationTarget;

    public IBackupService Backups { get; } = backups;

    /// <summary>Who the cases act as: a trusted caller, as the CLI is, with no portal user behind it.</summary>
    public Caller Actor { get; } = new TrustedCaller(new Actor("benchmark", Role.Admin));

    /// <summary>A folder the cases may write into; removed at the end.</summary>
    public string ScratchFolder { get; } = scratchFolder;

    public SeedSummary Seeded { get; } = seeded;

    /// <summary>The backup the backup case took, for the verify case.</summary>
    public BackupManifest? LastBackup { get; set; }
}
