namespace BotCore.MigrationPortal.Security;

/// <summary>
/// What a person may type into a comment or a reason: checked on the server whatever the page allowed, and the same
/// bound the pages give their fields (well inside SignalR's 32 KB message, so a long paste never drops the page's
/// connection).
/// </summary>
public static class FreeText
{
    public const int MaximumLength = 2000;

    /// <summary>For a short field: a name typed to confirm, a filter.</summary>
    public const int ShortMaximumLength = 200;
    public const int MinimumReasonLength = 10;

    /// <returns>The comment trimmed, or null when it is blank.</returns>
    /// <exception cref="ActionRefusedException">It is longer than <see cref="MaximumLength"/>.</exception>
    public static string? Comment(string? text, string what)
    {
        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (trimmed?.Length > MaximumLength)
        {
            throw new ActionRefusedException($"The {what} has {trimmed.Length:N0} characters; at most {MaximumLength:N0} are kept. Shorten it.");
        }
        return trimmed;
    }

    /// <returns>The reason trimmed.</returns>
    /// <exception cref="ActionRefusedException">It is missing, shorter than <see cref="MinimumReasonLength"/> or too long.</exception>
    public static string Reason(string? text, string what)
    {
        var reason = Comment(text, $"reason for {what}");
        if (reason is null || reason.Length < MinimumReasonLength)
        {
            throw new ActionRefusedException($"Write down why for {what} (at least {MinimumReasonLength} characters).");
        }
        return reason;
    }
}
