using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Cli;

/// <summary>The options after a verb: <c>--name value</c> for options that take a value, <c>--name</c> for flags.</summary>
public sealed partial class CliArguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);

    private CliArguments()
    {
    }

    /// <exception cref="BadInputException">An unknown option, a missing value or a stray word.</exception>
    public static CliArguments Parse(string verb, IReadOnlyList<string> tokens, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var name = token.StartsWith("--", StringComparison.Ordinal) ? token[2..] : null;
            if (name is not null && valueOptions.Contains(name))
            {
                if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new BadInputException($"Option --{name} of '{verb}' needs a value.");
                }
                parsed.values[name] = tokens[++i];
            }
            else if (name is not null && flagOptions.Contains(name))
            {
                parsed.flags.Add(name);
            }
            else
            {
                var allowed = valueOptions.Select(o => $"--{o} <value>").Concat(flagOptions.Select(o => $"--{o}")).ToList();
                throw new BadInputException(
                    $"'{verb}' does not understand {Describe(token, i)}." + (allowed.Count == 0 ? " It takes no options." : $" Its options: {string.Join(", ", allowed)}."));
            }
        }
        return parsed;
    }

    // Only an option name as people type them ("--pasword") is repeated back; anything else may be a secret typed in the
    // wrong place (a password, a connection string with one), which must not reach a terminal, a CI log or a shell history.
    private static string Describe(string token, int index) =>
        OptionName().IsMatch(token) ? $"'{token}'" : $"word {index + 1} after the command (not repeated, in case it is a secret)";

    [GeneratedRegex(@"\A--[a-z][a-z-]{0,23}\z")]
    private static partial Regex OptionName();

    public string? Value(string name) => values.GetValueOrDefault(name);

    public bool Flag(string name) => flags.Contains(name);

    public string Required(string name, string verb) =>
        Value(name) ?? throw new BadInputException($"'{verb}' needs --{name}.");

    public SchemaVersion? Version(string name) => Value(name) is { } text ? SchemaVersion.Parse(text) : null;

    public int? Integer(string name) =>
        Value(name) is not { } text ? null
        : int.TryParse(text, out var number) ? number
        : throw new BadInputException($"--{name} needs a whole number, not '{text}'.");
}
