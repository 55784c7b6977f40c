using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Backups;

/// <summary>A backup, verification or restore that could not be done, with a message written for the DBA.</summary>
public sealed class BackupFailedException(string message, Exception? inner = null) : MigrationEngineException(message, inner);

/// <summary>A file of a backup that cannot be read back as it was written: missing, truncated or with changed bytes.</summary>
public sealed class BackupFileDamagedException(string file, string problem, Exception? inner = null)
    : MigrationEngineException($"{file} is damaged: {problem}.", inner)
{
    public string File { get; } = file;
}
