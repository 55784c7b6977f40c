using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Cli.Verbs;

/// <summary><c>backups list</c>: the backups in Backups:Location, newest first, as the Backups page lists them; it only reads the folder.</summary>
public sealed class BackupsListVerb(BackupStore store, TargetRegistry targets, CliConsole console) : ICliVerb
{
    public string Name => "backups list";
    public string Usage => "backups list [--target T] [--json]";
    public string Summary => "the backups in Backups:Location, newest first: target, when, by whom, size, verification, restores";
    public IReadOnlyCollection<string> ValueOptions => ["target"];
    public IReadOnlyCollection<string> FlagOptions => ["json"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var target = arguments.Value("target") is { } name ? targets.Describe(name).Name : null;
        var backups = (await store.ListAsync(cancellationToken)).Where(b => target is null || b.Target == target).ToList();
        if (arguments.Flag("json"))
        {
            var manifests = new List<string>();
            foreach (var backup in backups) manifests.Add(await BackupText.JsonAsync(backup, cancellationToken));
            console.Out.WriteLine($"[{string.Join(",\n", manifests)}]");
            return ExitCodes.Success;
        }
        if (backups.Count == 0)
        {
            console.Out.WriteLine($"No backups{(target is null ? "" : $" of {target}")} in {store.Paths.Root}.");
            return ExitCodes.Success;
        }
        console.Out.WriteLine($"{"ID",-44} {"TARGET",-12} {"TAKEN",-20} {"BYTES",14} {"VERIFIED",-9} RESTORES  BY");
        foreach (var backup in backups)
        {
            var verified = backup.Verification switch { null => "no", { Passed: true } => "yes", _ => "FAILED" };
            console.Out.WriteLine($"{backup.Id,-44} {backup.Target,-12} {backup.CreatedAt,-20:u} {backup.TotalBytes,14:N0} {verified,-9} {backup.Restores.Count,8}  {backup.CreatedBy}");
        }
        return ExitCodes.Success;
    }
}
