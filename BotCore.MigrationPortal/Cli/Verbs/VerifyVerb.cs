using BotCore.MigrationPortal.Backups;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary><c>verify &lt;backupId&gt;</c>: restores the backup elsewhere and compares it with its manifest, as the Backups page does. Exit 1 when it fails.</summary>
public sealed class VerifyVerb(CliPortal portal, CliProgress progress, CliConsole console) : ICliVerb
{
    public string Name => "verify";
    public string Usage => "verify <backupId> [--json]";
    public string Summary => "verifies a backup: restores it into a scratch database and compares each collection with the manifest; exit 1 when it fails";
    public IReadOnlyCollection<string> ValueOptions => [];
    public IReadOnlyCollection<string> FlagOptions => ["json"];
    public IReadOnlyCollection<string> Arguments => ["backupId"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var backups = await portal.OpenAsync<IBackupService>(cancellationToken);
        var json = arguments.Flag("json");
        var manifest = await progress.RunAsync(json, events => backups.VerifyAsync(CliIdentity.Caller, arguments.Required("backupId"), events, cancellationToken));
        if (json) console.Out.WriteLine(await BackupText.JsonAsync(manifest, cancellationToken));
        else console.Out.WriteLine($"Backup {manifest.Id}:{BackupText.Verification(manifest)}");
        return manifest.IsVerified ? ExitCodes.Success : ExitCodes.Failure;
    }
}
