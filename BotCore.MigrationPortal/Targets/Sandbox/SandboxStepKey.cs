using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// The key of a step as <see cref="Engine.Running.MigrationRunner"/> names it when it executes one: <c>version/direction/number</c>
/// (<c>1.3.0/up/3</c>; a down run's steps are <c>1.3.0/down/1</c>…), and <c>…/undo</c> when a rollback undoes that step.
/// </summary>
public static partial class SandboxStepKey
{
    /// <summary>What the runner appends to the key of a step it undoes during a rollback.</summary>
    public const string UndoSuffix = "/undo";

    /// <returns>The key, lower case.</returns>
    /// <exception cref="BadInputException">It is not a step key, or names a migration or step this build does not have.</exception>
    public static string Validated(string key, MigrationRegistry registry)
    {
        var match = Pattern().Match(key);
        if (!match.Success)
        {
            throw new BadInputException(
                $"'{key}' is not a step key: write version/direction/number, such as 1.3.0/up/3, or 1.3.0/up/3{UndoSuffix} for its undo during a rollback.");
        }
        var version = SchemaVersion.Parse(match.Groups["version"].Value);
        var migration = registry.Find(version)
            ?? throw new BadInputException($"Step key '{key}': there is no migration {version} (this build has {string.Join(", ", registry.Migrations.Select(m => m.Version))}).");
        // A down migration has one derived inverse per step, so both directions have as many steps as the migration declares.
        var number = int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (number > migration.Steps.Count)
        {
            throw new BadInputException($"Step key '{key}': migration {version} has {migration.Steps.Count} steps, so there is no step {number}.");
        }
        return key.ToLowerInvariant();
    }

    [GeneratedRegex(@"^(?<version>\d{1,5}\.\d{1,5}\.\d{1,5})/(?<direction>up|down)/(?<number>[1-9]\d{0,3})(/undo)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
