namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>What a collection's data file holds: how many documents, their uncompressed size and their content hash.</summary>
public sealed record DataSummary(long Documents, long Bytes, string ContentHash);
