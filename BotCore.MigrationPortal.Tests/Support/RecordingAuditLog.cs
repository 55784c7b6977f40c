using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>An audit log that keeps what it is given, for tests to read back.</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditRecord> records = [];

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (records) return records.ToList();
        }
    }

    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (records) records.Add(record);
        return Task.CompletedTask;
    }
}
