using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups;

/// <summary>Turns the expected ways a backup operation fails (the database, the disk) into a sentence for the DBA.</summary>
public static class BackupFailures
{
    /// <returns>A clause for a sentence to go on (no final period); null for anything that is not an expected failure (cancellation, a
    /// refusal already explained, a bug).</returns>
    public static string? Describe(Exception e, string target) => Sentence(e, target) is { } sentence ? Clause.Of(sentence) : null;

    private static string? Sentence(Exception e, string target) => e switch
    {
        _ when MongoFailures.Classify(e) is { } failure => $"target '{target}': {failure.Reason}. {failure.Advice(target)}",
        MongoConnectionException => null,
        MongoException => e.Message,
        UnauthorizedAccessException => $"the portal may not write there ({e.Message})",
        IOException => e.Message,
        _ => null,
    };
}
