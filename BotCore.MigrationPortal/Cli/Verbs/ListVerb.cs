using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Cli.Verbs;

public sealed class ListVerb(MigrationRegistry registry, CliConsole console) : ICliVerb
{
    public string Name => "list";
    public string Usage => "list";
    public string Summary => "migrations in this build: version, source file, checksum, description";
    public IReadOnlyCollection<string> ValueOptions => [];
    public IReadOnlyCollection<string> FlagOptions => [];

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        console.Out.WriteLine($"{"VERSION",-8} {"SOURCE",-24} {"CHECKSUM (SHA-256)",-64} DESCRIPTION");
        foreach (var migration in registry.Migrations)
        {
            console.Out.WriteLine($"{migration.Version,-8} {migration.SourceFileName,-24} {migration.Checksum,-64} {migration.Description}" +
                (migration.IsDraft ? " [DRAFT: not released]" : ""));
        }
        return Task.FromResult(ExitCodes.Success);
    }
}
