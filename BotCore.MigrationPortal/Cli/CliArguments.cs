using System.CommandLine;
using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Cli;

/// <summary>What System.CommandLine parsed for one verb: <c>--name value</c> options, <c>--name</c> flags, and positional arguments.</summary>
public sealed class CliArguments
{
    private readonly string verb;
    private readonly IReadOnlyDictionary<string, string> values;
    private readonly IReadOnlySet<string> flags;

    public CliArguments(string verb, IReadOnlyDictionary<string, string> values, IReadOnlySet<string> flags)
    {
        this.verb = verb;
        this.values = values;
        this.flags = flags;
    }

    /// <summary>The values of <paramref name="command"/>'s options and arguments, by their names without dashes.</summary>
    public static CliArguments From(string verb, ParseResult parsed, Command command)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            var name = option.Name.TrimStart('-');
            switch (option)
            {
                case Option<bool> flag when parsed.GetValue(flag):
                    flags.Add(name);
                    break;
                case Option<string> valued when parsed.GetValue(valued) is { } value:
                    values[name] = value;
                    break;
            }
        }
        foreach (var argument in command.Arguments.OfType<Argument<string>>())
        {
            if (parsed.GetValue(argument) is { } value) values[argument.Name] = value;
        }
        return new CliArguments(verb, values, flags);
    }

    public string? Value(string name) => values.GetValueOrDefault(name);

    public bool Flag(string name) => flags.Contains(name);

    public string Required(string name) =>
        Value(name) ?? throw new BadInputException($"'{verb}' needs --{name}.");

    public SchemaVersion? Version(string name) => Value(name) is { } text ? SchemaVersion.Parse(text) : null;

    public int? Integer(string name) =>
        Value(name) is not { } text ? null
        : int.TryParse(text, out var number) ? number
        : throw new BadInputException($"--{name} needs a whole number, not '{text}'.");
}
