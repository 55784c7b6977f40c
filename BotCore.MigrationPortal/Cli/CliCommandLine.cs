using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Hosting;

namespace BotCore.MigrationPortal.Cli;

/// <summary>
/// The verbs as System.CommandLine commands: a verb of two words ("users add") is a subcommand; its options come from the verb
/// (<see cref="ICliVerb.ValueOptions"/>, <see cref="ICliVerb.FlagOptions"/>, <see cref="ICliVerb.Arguments"/>), their help from
/// <see cref="CliOptionHelp"/>. Every command has <c>--help</c>. A parse error becomes one <see cref="BadInputException"/> that names
/// the bad argument, never a word that could be a secret.
/// </summary>
public sealed partial class CliCommandLine
{
    // A response file (@file) would read a file the person did not mean to give; the portal's commands take none.
    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    private readonly RootCommand root = new("BotCore Migration Portal");
    private readonly Dictionary<Command, ICliVerb> verbs = [];

    public CliCommandLine(IEnumerable<ICliVerb> verbs)
    {
        // --sandbox is taken out of the arguments before they are parsed (it chooses the services); it is here for the help.
        root.Options.Add(new Option<bool>(PortalMode.SandboxSwitch) { Description = CliOptionHelp.Sandbox, Recursive = true });
        foreach (var verb in verbs) this.verbs[Add(verb)] = verb;
    }

    public IReadOnlyCollection<string> TopLevelWords => root.Subcommands.Select(c => c.Name).ToList();

    /// <returns>The verb to run with its arguments, or null when help was asked for and written.</returns>
    /// <exception cref="BadInputException">The arguments do not fit the verb; the message names the bad one.</exception>
    public (ICliVerb Verb, CliArguments Arguments)? Parse(IReadOnlyList<string> args, CliConsole console)
    {
        var parsed = root.Parse(args, Configuration);
        if (parsed.Action is HelpAction)
        {
            parsed.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
            return null;
        }
        var command = parsed.CommandResult.Command;
        if (!verbs.TryGetValue(command, out var verb))
        {
            throw new BadInputException($"'{command.Name}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}. Add --help to see them.");
        }
        if (parsed.UnmatchedTokens.Count > 0)
        {
            var words = args.Skip(verb.Name.Split(' ').Length).ToList();
            var token = parsed.UnmatchedTokens[0];
            throw new BadInputException($"'{verb.Name}' does not understand {Describe(token, words.IndexOf(token))}. {Allowed(verb)}");
        }
        // System.CommandLine takes "--json" in "--to --json" as the value of --to; no value of the portal's options starts so.
        if (parsed.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(o => o.Tokens is [{ Value: var value }] && value.StartsWith("--", StringComparison.Ordinal))
            is { } swallowed)
        {
            throw new BadInputException($"Option {swallowed.Option.Name} of '{verb.Name}' needs a value.");
        }
        if (parsed.Errors.Count > 0) throw new BadInputException(Describe(parsed.Errors[0], verb));
        return (verb, CliArguments.From(verb.Name, parsed, command));
    }

    private Command Add(ICliVerb verb)
    {
        var words = verb.Name.Split(' ');
        Command parent = root;
        foreach (var group in words[..^1])
        {
            var existing = parent.Subcommands.FirstOrDefault(c => c.Name == group);
            if (existing is null)
            {
                existing = new Command(group, $"the {group} commands");
                parent.Subcommands.Add(existing);
            }
            parent = existing;
        }
        var command = new Command(words[^1], $"{verb.Summary}.\n\nSynopsis: {verb.Usage}");
        foreach (var name in verb.Arguments)
        {
            command.Arguments.Add(new Argument<string>(name) { Description = CliOptionHelp.Describe(verb.Name, name) });
        }
        foreach (var name in verb.ValueOptions)
        {
            command.Options.Add(new Option<string>($"--{name}") { Description = CliOptionHelp.Describe(verb.Name, name), HelpName = CliOptionHelp.ValueName(verb.Name, name) });
        }
        foreach (var name in verb.FlagOptions) command.Options.Add(new Option<bool>($"--{name}") { Description = CliOptionHelp.Describe(verb.Name, name) });
        parent.Subcommands.Add(command);
        return command;
    }

    private static string Describe(ParseError error, ICliVerb verb) => error.SymbolResult switch
    {
        OptionResult { Tokens.Count: 0 } option => $"Option {option.Option.Name} of '{verb.Name}' needs a value.",
        OptionResult option => $"Option {option.Option.Name} of '{verb.Name}' is given more than once; give it once.",
        ArgumentResult argument => $"'{verb.Name}' needs <{argument.Argument.Name}>: {verb.Usage}",
        _ => $"'{verb.Name}': {error.Message}",
    };

    private static string Allowed(ICliVerb verb)
    {
        var allowed = verb.Arguments.Select(a => $"<{a}>").Concat(verb.ValueOptions.Select(o => $"--{o} <value>")).Concat(verb.FlagOptions.Select(o => $"--{o}")).ToList();
        return allowed.Count == 0 ? "It takes no options." : $"Its {(verb.Arguments.Count == 0 ? "options" : "arguments and options")}: {string.Join(", ", allowed)}.";
    }

    // Only an option name as people type them ("--pasword") is repeated back; anything else may be a secret typed in the
    // wrong place (a password, a connection string with one), which must not reach a terminal, a CI log or a shell history.
    private static string Describe(string token, int index) =>
        OptionName().IsMatch(token) ? $"'{token}'" : $"word {index + 1} after the command (not repeated, in case it is a secret)";

    [GeneratedRegex(@"\A--[a-z][a-z-]{0,23}\z")]
    private static partial Regex OptionName();
}
