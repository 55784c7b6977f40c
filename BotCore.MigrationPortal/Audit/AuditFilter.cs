using System.Globalization;

namespace BotCore.MigrationPortal.Audit;

/// <summary>
/// Which entries the page and the CSV export show. The user matches a part of the name in any case ("ali" finds Alice); actions
/// match any of those chosen; target and run match exactly; dates are whole UTC days, both ends included, and any date is safe,
/// 0001-01-01 to 9999-12-31. Blank text and no action mean "any". Every store answers with these same semantics
/// (<see cref="Matches"/> is the reference; MongoAuditStore translates it).
/// </summary>
public sealed record AuditFilter
{
    public const string DateFormat = "yyyy-MM-dd";

    public static readonly AuditFilter None = new();

    /// <summary>A part of the user's name, in any case.</summary>
    public string? User { get; init => field = Clean(value); }

    /// <summary>The actions any of which an entry may have; empty for any action. Blank, repeated and unordered choices count once.</summary>
    public IReadOnlyList<string> Actions { get; init => field = [.. (value ?? []).Select(Clean).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]; } = [];

    public string? Target { get; init => field = Clean(value); }

    /// <summary>The run an entry concerns.</summary>
    public string? RunId { get; init => field = Clean(value); }

    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    /// <summary>The first instant included, if bounded.</summary>
    public DateTime? Since => From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first instant excluded (midnight after <see cref="To"/>), if bounded. Nothing comes after the last day there is.</summary>
    public DateTime? Before => To is { } to && to < DateOnly.MaxValue ? to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;

    public bool IsEmpty => this == None;

    // A record compares lists by reference; two filters with the same actions are the same filter.
    public bool Equals(AuditFilter? other) =>
        other is not null && User == other.User && Actions.SequenceEqual(other.Actions) && Target == other.Target && RunId == other.RunId
        && From == other.From && To == other.To;

    public override int GetHashCode() => HashCode.Combine(User, string.Join('\n', Actions), Target, RunId, From, To);

    /// <summary>Why no entry can match these dates (the first is after the last), or null.</summary>
    public string? Problem => From > To
        ? $"The From date ({Format(From)}) is after the To date ({Format(To)}), so no entry can match: change one of them."
        : null;

    /// <summary>A filter from the query string of <c>/audit/export.csv</c>, which <see cref="ToQueryString"/> writes.</summary>
    /// <returns>The filter, or (null and) what is wrong with the dates.</returns>
    /// <param name="actions">The <c>action</c> parameter, repeated once per action.</param>
    public static (AuditFilter? Filter, string? Problem) FromQuery(string? user, IReadOnlyList<string>? actions, string? target, string? run, string? from, string? to)
    {
        if (!TryParseDate(from, out var since)) return (null, $"'from' is not a date: write it as {DateFormat}, e.g. 2026-11-24.");
        if (!TryParseDate(to, out var until)) return (null, $"'to' is not a date: write it as {DateFormat}, e.g. 2026-11-24.");
        var filter = new AuditFilter { User = user, Actions = actions ?? [], Target = target, RunId = run, From = since, To = until };
        return filter.Problem is { } problem ? (null, problem) : (filter, null);
    }

    public bool Matches(AuditEntry entry) =>
        (User is null || entry.User.Contains(User, StringComparison.OrdinalIgnoreCase))
        && (Actions.Count == 0 || Actions.Contains(entry.Action, StringComparer.Ordinal))
        && (Target is null || entry.Target == Target)
        && (RunId is null || entry.RunId == RunId)
        && (Since is not { } since || entry.Time >= since)
        && (Before is not { } before || entry.Time < before);

    /// <summary>The query string of <c>/audit/export.csv</c> that exports the same entries (empty when unfiltered).</summary>
    public string ToQueryString()
    {
        (string Name, string? Value)[] parameters =
        [
            ("user", User), .. Actions.Select(action => ("action", (string?)action)), ("target", Target), ("run", RunId),
            ("from", Format(From)),
            ("to", Format(To)),
        ];
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    // Control characters are in no name, action, target or run id, and a NUL cannot be sent in a BSON regex (the user filter):
    // dropped here, so that a pasted or crafted one filters as the visible text does instead of failing the query.
    private static string? Clean(string? value)
    {
        var visible = value is null ? null : string.Concat(value.Where(c => !char.IsControl(c))).Trim();
        return string.IsNullOrEmpty(visible) ? null : visible;
    }

    private static string? Format(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static bool TryParseDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        date = parsed;
        return true;
    }
}
