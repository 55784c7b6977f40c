using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Audit;

/// <summary>
/// The hash of an audit entry: lower-case hex SHA-256 of this canonical serialisation, as UTF-8 bytes:
/// <code>
/// botcore-audit-v1
/// sequence:&lt;decimal&gt;
/// time:&lt;yyyy-MM-ddTHH:mm:ss.fffZ&gt;
/// user:&lt;field&gt;
/// role:&lt;field&gt;
/// action:&lt;field&gt;
/// target:&lt;field&gt;
/// runId:&lt;field&gt;
/// details:&lt;field&gt;
/// previousHash:&lt;field&gt;
/// </code>
/// Each line ends with "\n". A &lt;field&gt; is "-" for null, otherwise its length in UTF-8 bytes in decimal, ":",
/// and the bytes themselves. The length prefix is what makes it unambiguous: no content of one field (newlines,
/// colons, "-") can be read as the end of it or the start of another, so two different entries never serialise
/// alike, and null stays distinct from "" and from "-". The version line lets a future format coexist.
/// </summary>
public static class AuditHash
{
    /// <summary>The previous hash of the first entry: there is nothing before it.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Of(AuditEntry entry)
    {
        var text = new StringBuilder("botcore-audit-v1\n")
            .Append("sequence:").Append(entry.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("time:").Append(FormatTime(entry.Time)).Append('\n');
        Field(text, "user", entry.User);
        Field(text, "role", entry.Role);
        Field(text, "action", entry.Action);
        Field(text, "target", entry.Target);
        Field(text, "runId", entry.RunId);
        Field(text, "details", entry.Details);
        Field(text, "previousHash", entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string FormatTime(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>MongoDB keeps milliseconds: hashing finer ticks would make every stored entry look edited.</summary>
    public static DateTime Truncate(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    /// <summary>
    /// The string as it will read back from the store: a lone UTF-16 surrogate cannot be stored as UTF-8, so it
    /// becomes U+FFFD before hashing rather than failing the insert or changing after it.
    /// </summary>
    public static string Storable(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static void Field(StringBuilder text, string name, string? value)
    {
        text.Append(name).Append(':');
        if (value is null) text.Append('-');
        else text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        text.Append('\n');
    }
}
