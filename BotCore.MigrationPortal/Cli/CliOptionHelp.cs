using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Cli;

/// <summary>What each option and argument of the commands means, for their <c>--help</c>: one wording for every verb that takes it.</summary>
public static class CliOptionHelp
{
    public const string Sandbox = "use the simulated targets of Sandbox:Targets and an in-memory portal store, for this one command";

    private static readonly Dictionary<string, (string? ValueName, string Description)> Known = new(StringComparer.Ordinal)
    {
        ["target"] = ("T", "the target's name, as configured under Targets (or Sandbox:Targets with --sandbox)"),
        ["json"] = (null, "write the result as JSON on standard output, for pipelines"),
        ["to"] = ("V", "the schema version to reach"),
        ["from"] = ("V", "the schema version to start from"),
        ["version"] = ("V", "a schema version"),
        ["at"] = ("V", "the version the database is at, to record"),
        ["baseline"] = ("V", "first adopt the rehearsed database at this version"),
        ["batch-size"] = ("N", "documents per batch of a data step"),
        ["pause-ms"] = ("N", "milliseconds to wait between two batches"),
        ["confirm-production"] = (null, "required to change a Production target from the command line"),
        ["release-note"] = ("\"...\"", "why a draft migration may run on Production now; kept in the changelog"),
        ["reason"] = ("\"...\"", $"why, in words (at least {FreeText.MinimumReasonLength} characters); kept in the changelog and the audit log"),
        ["confirm"] = (null, "confirms the change (without it the command only compares)"),
        ["accept-differences"] = (null, "adopt although blocking differences remain"),
        ["verbose"] = (null, "show every event"),
        ["name"] = ("N", "the user's name"),
        ["role"] = ("R", $"the user's role: {RoleNames.All}"),
        ["skip-backup"] = (null, "on Staging or Production: run without taking and verifying a backup first (needs --reason, which is audited)"),
        ["restore confirm"] = ("T", "the target's name, typed to confirm that its collections are replaced"),
        ["backupId"] = (null, "a backup's id, as 'backups list' shows it"),
        ["id"] = (null, "a data fix's id, as 'fix list' shows it (its file name in fixes/ without .cs)"),
        ["undo"] = (null, "the fix's undo: restore the previous values it recorded in fix_undo"),
    };

    /// <param name="verb">The verb, for an option that means something else there (restore's <c>--confirm</c> takes the target's name).</param>
    public static string Describe(string verb, string name) => Find(verb, name)?.Description ?? name;

    public static string? ValueName(string verb, string name) => Find(verb, name)?.ValueName;

    private static (string? ValueName, string Description)? Find(string verb, string name) =>
        Known.TryGetValue($"{verb} {name}", out var specific) ? specific : Known.TryGetValue(name, out var help) ? help : null;
}
