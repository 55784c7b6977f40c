using BotCore.MigrationPortal.Targets;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups;

/// <summary>Turns the expected ways a backup operation fails (the database, the disk) into a sentence for the DBA.</summary>
public static class BackupFailures
{
    /// <returns>Null for anything that is not an expected failure (cancellation, a refusal already explained, a bug).</returns>
    public static string? Describe(Exception e, string target) => e switch
    {
        _ when MongoFailures.Classify(e) is { } failure => $"target '{target}': {failure.Reason}. {failure.Advice(target)}",
        MongoConnectionException => null,
        MongoException => e.Message,
        UnauthorizedAccessException => $"the portal may not write there ({e.Message})",
        IOException => e.Message,
        _ => null,
    };
}
