namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>What a collection's data file holds: how many documents, their uncompressed size and their content hash.</summary>
/// <param name="WithEmptyTimestamps">
/// How many documents hold <c>Timestamp(0, 0)</c> in a top-level field, which an insert replaces with the current time unless the
/// server takes <c>bypassEmptyTsReplacement</c>.
/// </param>
public sealed record DataSummary(long Documents, long Bytes, string ContentHash, long WithEmptyTimestamps = 0)
{
    public static DataSummary Nothing { get; } = new(0, 0, Layout.ContentHash.OfNothing);
}
