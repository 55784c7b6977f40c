using System.Globalization;

namespace BotCore.MigrationPortal.Engine;

/// <summary>A schema version as the spec writes it: MAJOR.MINOR.PATCH. 0.0.0 is "nothing applied".</summary>
public readonly record struct SchemaVersion(int Major, int Minor, int Patch) : IComparable<SchemaVersion>
{
    public static SchemaVersion Zero { get; } = new(0, 0, 0);

    public static bool TryParse(string? text, out SchemaVersion version)
    {
        version = Zero;
        var parts = text?.Trim().Split('.');
        if (parts is not { Length: 3 }) return false;
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (parts[i].Length == 0 || parts[i].Length > 9 || !parts[i].All(char.IsAsciiDigit)) return false;
            if (parts[i].Length > 1 && parts[i][0] == '0') return false;
            numbers[i] = int.Parse(parts[i], CultureInfo.InvariantCulture);
        }
        version = new SchemaVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <exception cref="BadInputException">The text is not MAJOR.MINOR.PATCH.</exception>
    public static SchemaVersion Parse(string? text) =>
        TryParse(text, out var version)
            ? version
            : throw new BadInputException($"'{text}' is not a schema version: write it as MAJOR.MINOR.PATCH, for example 1.2.0.");

    public int CompareTo(SchemaVersion other) =>
        (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public static bool operator <(SchemaVersion a, SchemaVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(SchemaVersion a, SchemaVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(SchemaVersion a, SchemaVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(SchemaVersion a, SchemaVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
