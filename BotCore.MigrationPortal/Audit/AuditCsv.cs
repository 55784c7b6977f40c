using System.Globalization;

namespace BotCore.MigrationPortal.Audit;

/// <summary>The audit log as CSV (RFC 4180), written entry by entry so that an export of any size streams.</summary>
public static class AuditCsv
{
    private static readonly string[] Header = ["sequence", "time", "user", "role", "action", "target", "runId", "details", "previousHash", "hash"];

    public static async Task WriteAsync(IAsyncEnumerable<AuditEntry> entries, TextWriter writer, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Row(Header));
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Row(
            [
                entry.Sequence.ToString(CultureInfo.InvariantCulture), AuditHash.FormatTime(entry.Time), entry.User, entry.Role, entry.Action,
                entry.Target, entry.RunId, entry.Details, entry.PreviousHash, entry.Hash,
            ]));
        }
    }

    public static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>
    /// One cell. A value a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return that
    /// some strip before looking) gets a leading apostrophe, so opening the export cannot execute what a user typed
    /// into a detail. Then quotes, commas and line breaks make it quoted, with quotes doubled.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var safe = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny("\",\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"") + "\"" : safe;
    }
}
