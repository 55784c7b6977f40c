using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Backups.Mongo;
using BotCore.MigrationPortal.Doctor.Privileges;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>The featureCompatibilityVersion, or why it could not be read.</summary>
/// <param name="Advice">How the DBA can see it when it could not be read; null for the usual advice (a privilege).</param>
public sealed record FeatureCompatibility(string? Version, string? Problem = null, string? Advice = null);

/// <summary>The server's clock as <c>hello.localTime</c> said it, between two readings of ours.</summary>
public sealed record ClockReading(DateTimeOffset SentAt, DateTimeOffset ServerTime, DateTimeOffset ReceivedAt)
{
    /// <summary>Server minus ours, taking the reply to have been made half-way through the round trip.</summary>
    public TimeSpan Skew => ServerTime - (SentAt + (ReceivedAt - SentAt) / 2);

    /// <summary>How far off <see cref="Skew"/> may be: half the round trip.</summary>
    public TimeSpan Uncertainty => (ReceivedAt - SentAt) / 2;
}

/// <summary>The target database's size from <c>dbStats</c>, or why it could not be read.</summary>
/// <param name="DataSize">Uncompressed BSON of its documents (a backup's content before gzip).</param>
/// <param name="StorageSize">What its collections take on the server's disk, compressed (indexes not included).</param>
public sealed record DatabaseSize(long DataSize, long StorageSize, string? Problem = null)
{
    public static DatabaseSize Unknown(string problem) => new(0, 0, problem);
}

/// <summary>Everything the doctor reads from a MongoDB target, before judging it.</summary>
public sealed record ServerFacts(
    string Database,
    MongoServerVersion Version,
    FeatureCompatibility FeatureCompatibility,
    TargetTopology Topology,
    string? SetName,
    HeldPrivileges Privileges,
    ClockReading Clock,
    DatabaseSize Size);

/// <summary>Whether Backups:Location can take a backup, as found on this machine's disk.</summary>
/// <param name="Problem">Why a file could not be created and deleted there; null when it could.</param>
/// <param name="FreeBytes">Free space for this process on the location's file system; null when unknown.</param>
public sealed record BackupLocationReading(string Path, string? Problem, long? FreeBytes);
