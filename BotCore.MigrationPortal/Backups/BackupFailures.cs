using MongoDB.Driver;

namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// Turns the expected ways a backup operation fails (the database, the disk) into a sentence for the DBA. Messages of
/// connection failures are not passed on: the driver's may name hosts, and "no server answered" says what matters.
/// </summary>
public static class BackupFailures
{
    /// <returns>Null for anything that is not an expected failure (cancellation, a refusal already explained, a bug).</returns>
    public static string? Describe(Exception e, string target) => e switch
    {
        MongoAuthenticationException => $"the MongoDB server of target '{target}' refused the credentials",
        TimeoutException => $"no MongoDB server of target '{target}' answered in time",
        MongoConnectionException => $"the connection to target '{target}' failed",
        MongoException => e.Message,
        UnauthorizedAccessException => $"the portal may not write there ({e.Message})",
        IOException => e.Message,
        _ => null,
    };
}
