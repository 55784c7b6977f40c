using System.Globalization;

namespace BotCore.MigrationPortal.Audit;

/// <summary>
/// Which entries the page and the CSV export show. Text filters match exactly (so an index answers them); dates are
/// whole UTC days, both ends included. Blank text means "any".
/// </summary>
public sealed record AuditFilter
{
    public const string DateFormat = "yyyy-MM-dd";

    public static readonly AuditFilter None = new();

    public string? User { get; init => field = Clean(value); }
    public string? Action { get; init => field = Clean(value); }
    public string? Target { get; init => field = Clean(value); }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    /// <summary>The first instant included, if bounded.</summary>
    public DateTime? Since => From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first instant excluded (midnight after <see cref="To"/>), if bounded.</summary>
    public DateTime? Before => To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public bool IsEmpty => this == None;

    public bool Matches(AuditEntry entry) =>
        (User is null || entry.User == User)
        && (Action is null || entry.Action == Action)
        && (Target is null || entry.Target == Target)
        && (Since is not { } since || entry.Time >= since)
        && (Before is not { } before || entry.Time < before);

    /// <summary>The query string of <c>/audit/export.csv</c> that exports the same entries (empty when unfiltered).</summary>
    public string ToQueryString()
    {
        var parameters = new (string Name, string? Value)[]
        {
            ("user", User), ("action", Action), ("target", Target),
            ("from", From?.ToString(DateFormat, CultureInfo.InvariantCulture)),
            ("to", To?.ToString(DateFormat, CultureInfo.InvariantCulture)),
        };
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
