using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary><c>backup --target T</c>: the Backups page's "Back up now", done in this process by the same service, audited in the same log.</summary>
public sealed class BackupVerb(TargetRegistry targets, CliPortal portal, CliProgress progress, CliConsole console) : ICliVerb
{
    public string Name => "backup";
    public string Usage => "backup --target T [--json]";
    public string Summary => "backs up the whole database of a target into Backups:Location and prints its manifest (with --json, the manifest file's JSON)";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Describe(arguments.Required("target")).Name;
        var backups = await portal.OpenAsync<IBackupService>(cancellationToken);
        var json = arguments.Flag("json");
        var manifest = await progress.RunAsync(json, events => backups.CreateAsync(CliIdentity.Caller, target, null, null, events, cancellationToken));
        if (json) console.Out.WriteLine(await BackupText.JsonAsync(manifest, cancellationToken));
        else BackupText.Write(manifest, console.Out);
        return ExitCodes.Success;
    }
}
