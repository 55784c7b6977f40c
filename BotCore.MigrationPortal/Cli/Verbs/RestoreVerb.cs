using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary>
/// <c>restore &lt;backupId&gt; --target T --confirm T</c>: the manual rollback path, through the portal's restorer: a verified backup only,
/// over the target it was taken of, with the target's name typed, under the target's lease; recorded in the manifest and the audit log.
/// </summary>
public sealed class RestoreVerb(TargetRegistry targets, CliPortal portal, CliProgress progress, CliConsole console) : ICliVerb
{
    public string Name => "restore";
    public string Usage => "restore <backupId> --target T --confirm T";
    public string Summary => "restores a verified backup over the target it was taken of, replacing its collections; --confirm takes the target's name, typed";
    public IReadOnlyCollection<string> ValueOptions => ["target", "confirm"];
    public IReadOnlyCollection<string> FlagOptions => [];
    public IReadOnlyCollection<string> Arguments => ["backupId"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = targets.Describe(arguments.Required("target")).Name;
        var backupId = arguments.Required("backupId");
        var backups = await portal.OpenAsync<IBackupService>(cancellationToken);
        var backup = await backups.FindAsync(backupId, cancellationToken) ?? throw new BadInputException($"There is no backup '{backupId}': 'backups list' shows them.");
        if (backup.Target != target)
        {
            throw new BadInputException($"Backup {backup.Id} was taken of {backup.Target}, not {target}: it restores only over {backup.Target}.");
        }
        var restorer = await portal.OpenAsync<BackupRestorer>(cancellationToken);
        var operationId = BackupIds.NextRestoreOperation(backup);
        var restored = await progress.RunAsync(false, events =>
            restorer.RestoreAsync(CliIdentity.Caller, backup.Id, arguments.Value("confirm") ?? "", operationId, events, cancellationToken));
        console.Out.WriteLine($"Restored backup {restored.Id} over {target}: {restored.Restores.Last().Outcome}");
        return ExitCodes.Success;
    }
}
