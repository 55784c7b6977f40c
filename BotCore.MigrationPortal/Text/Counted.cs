namespace BotCore.MigrationPortal.Text;

/// <summary>
/// Counts in words a person reads: "1 difference", "3 lines", never "difference(s)". One place, so every message counts the
/// same way; irregular plurals are given, not guessed.
/// </summary>
public static class Counted
{
    /// <summary>"1 line", "3 lines", "1,204 documents"; <paramref name="many"/> for a plural that is not <paramref name="one"/> + "s".</summary>
    public static string Of(long count, string one, string? many = null) => $"{count:N0} {Pick(count, one, many ?? one + "s")}";

    /// <summary>The word that agrees with <paramref name="count"/>: Pick(n, "has", "have"), Pick(n, "is", "are").</summary>
    public static string Pick(long count, string one, string many) => count == 1 ? one : many;
}
